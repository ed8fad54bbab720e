import { Button, Flex } from '@contentful/f36-components';

/**
 * Previous/next for a collection paged by cursors (`pages.next`): `cursors` are the ones followed so far,
 * `next` the collection's next cursor. Nothing shows while there is only one page.
 */
export function CursorPager({ cursors, next, onChange }: { cursors: string[]; next?: string; onChange(cursors: string[]): void }) {
  if (!cursors.length && !next) return null;
  return (
    <Flex gap="spacingS" marginTop="spacingM">
      <Button size="small" isDisabled={!cursors.length} onClick={() => onChange(cursors.slice(0, -1))}>
        Previous page
      </Button>
      <Button size="small" isDisabled={!next} onClick={() => next && onChange([...cursors, next])}>
        Next page
      </Button>
    </Flex>
  );
}
