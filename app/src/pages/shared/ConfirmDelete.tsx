import { Button, ModalConfirm, Paragraph } from '@contentful/f36-components';
import { type ReactNode, useState } from 'react';

/**
 * A button that deletes (or removes) something only once confirmed in a dialog that says what goes. The dialog is
 * named `title` and confirmed with `confirmLabel`; the button reads `button`, both the title unless told.
 */
export function ConfirmDelete({
  title,
  confirmLabel = title,
  button = title,
  buttonLabel,
  size,
  isDisabled,
  note,
  onConfirm,
  children,
}: {
  title: string;
  confirmLabel?: string;
  button?: string;
  /** The button's accessible name where its text alone does not say what goes (a row's "Delete"). */
  buttonLabel?: string;
  size?: 'small';
  isDisabled?: boolean;
  /** Said after the question. */
  note?: ReactNode;
  onConfirm(): void;
  /** The question, naming what goes. */
  children: ReactNode;
}) {
  const [asking, setAsking] = useState(false);
  return (
    <>
      <Button variant="negative" size={size} onClick={() => setAsking(true)} isDisabled={isDisabled} aria-label={buttonLabel}>
        {button}
      </Button>
      <ModalConfirm
        isShown={asking}
        intent="negative"
        title={title}
        confirmLabel={confirmLabel}
        onCancel={() => setAsking(false)}
        onConfirm={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        <Paragraph>{children}</Paragraph>
        {note}
      </ModalConfirm>
    </>
  );
}
