import { Button, Flex, Form, Multiselect, Select, TextInput } from '@contentful/f36-components';
import { type FormEvent, useEffect, useId, useState } from 'react';
import type { ContentType } from '../../api/cma';
import type { Tag } from '../../api/entry-search';
import { FormRow } from '../shared/FormRow';
import { type ListState, STATUS_FILTERS, type StatusFilter } from './search-state';

interface SearchBarProps {
  state: ListState;
  contentTypes: ContentType[];
  /** Undefined when the tags could not be read: no tag filter then. */
  tags?: Tag[];
  onChange(change: Partial<ListState>): void;
}

/** The grammar of the search box, as its help text shows it. */
function SearchSyntax() {
  return (
    <details className="entry-search-syntax">
      <summary>Search syntax</summary>
      <p>
        Words are searched in every text field (<code>query=</code>); put a phrase in quotes. A word of the form <code>key=value</code> is a
        filter of the Content Management API, for example:
      </p>
      <ul>
        <li>
          <code>fields.title[match]=foo</code> — the title contains a word starting with foo (needs a content type)
        </li>
        <li>
          <code>fields.title="Exact title"</code>, <code>fields.rating[gte]=3</code>, <code>fields.body[exists]=false</code>
        </li>
        <li>
          <code>sys.id[in]=a,b</code>, <code>sys.id[nin]=a,b</code>, <code>sys.createdAt[lt]=2024-01-01</code>,{' '}
          <code>sys.updatedBy.sys.id=userId</code>
        </li>
        <li>
          <code>metadata.tags.sys.id[all]=news,blog</code>, <code>links_to_entry=entryId</code>
        </li>
      </ul>
      <p>
        Operators: <code>[ne]</code> <code>[in]</code> <code>[nin]</code> <code>[all]</code> <code>[exists]</code> <code>[lt]</code>{' '}
        <code>[lte]</code> <code>[gt]</code> <code>[gte]</code> <code>[match]</code>. Filters on <code>fields.</code> need a content type
        chosen.
      </p>
    </details>
  );
}

/** The search box (full text and filters), and the content type, status and tag filters. */
export function SearchBar({ state, contentTypes, tags, onChange }: SearchBarProps) {
  const uid = useId();
  const [text, setText] = useState(state.search);
  // The back button or a link changes the search under the box: show what is searched.
  useEffect(() => setText(state.search), [state.search]);

  function submit(event: FormEvent) {
    event.preventDefault();
    onChange({ search: text });
  }
  function toggleTag(tagId: string, checked: boolean) {
    onChange({ tags: checked ? [...state.tags, tagId] : state.tags.filter((t) => t !== tagId) });
  }
  const tagName = (id: string) => tags?.find((t) => t.sys.id === id)?.name ?? id;

  return (
    <div className="entry-search">
      <Form onSubmit={submit} aria-label="Search entries" role="search">
        <FormRow label="Search" marginBottom="spacingXs">
          <Flex gap="spacingXs">
            <TextInput
              type="search"
              name="search"
              value={text}
              placeholder="Words, or filters such as fields.title[match]=foo"
              onChange={(e) => setText(e.target.value)}
            />
            <Button type="submit" variant="secondary">
              Search
            </Button>
          </Flex>
        </FormRow>
        <SearchSyntax />
      </Form>
      <Flex gap="spacingS" flexWrap="wrap" alignItems="flex-end" marginTop="spacingS">
        <FormRow label="Content type" marginBottom="none">
          <Select name="contentType" value={state.contentType} onChange={(e) => onChange({ contentType: e.target.value })}>
            <Select.Option value="">Any content type</Select.Option>
            {contentTypes.map((ct) => (
              <Select.Option key={ct.sys.id} value={ct.sys.id}>
                {ct.name}
              </Select.Option>
            ))}
          </Select>
        </FormRow>
        <FormRow label="Status" marginBottom="none">
          <Select name="status" value={state.status} onChange={(e) => onChange({ status: e.target.value as StatusFilter | '' })}>
            <Select.Option value="">Any status</Select.Option>
            {Object.entries(STATUS_FILTERS).map(([value, filter]) => (
              <Select.Option key={value} value={value}>
                {filter.label}
              </Select.Option>
            ))}
          </Select>
        </FormRow>
        {tags && (
          <div className="entry-search-tags">
            <span className="entry-search-label" aria-hidden="true">
              Tags
            </span>
            <Multiselect
              toggleButtonAriaLabel={`Tags: ${state.tags.length ? state.tags.map(tagName).join(', ') : 'any'}`}
              placeholder="Any tags"
              currentSelection={state.tags.map(tagName)}
              noMatchesMessage="No tags in this environment"
              onClearSelection={() => onChange({ tags: [] })}
            >
              {tags.map((tag) => (
                <Multiselect.Option
                  key={tag.sys.id}
                  itemId={`${uid}-tag-${tag.sys.id}`}
                  value={tag.sys.id}
                  label={tag.name}
                  isChecked={state.tags.includes(tag.sys.id)}
                  onSelectItem={(e) => toggleTag(tag.sys.id, e.target.checked)}
                />
              ))}
            </Multiselect>
          </div>
        )}
      </Flex>
    </div>
  );
}
