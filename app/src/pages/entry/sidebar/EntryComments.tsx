import { Button, Flex, Form, FormControl, Heading, ModalConfirm, Paragraph, Textarea } from '@contentful/f36-components';
import { type FormEvent, useId, useState } from 'react';
import type { CmaError } from '../../../api/cma';
import type { CollaborationApi, Comment } from '../../../api/collaboration';
import { useQuery } from '../../../api/use-query';
import { ErrorNote } from '../../common';
import { formatDateTime } from './dates';
import type { People } from './people';

/** A comment's body has 1 to 512 characters. */
const MAX_COMMENT_CHARACTERS = 512;

interface EntryCommentsProps {
  api: CollaborationApi;
  entryId: string;
  people: People;
  userId: string;
  admin: boolean;
}

/** What a comment shows: the form for editing it or replying to it, if one is open. */
type Open = { kind: 'edit' | 'reply'; id: string };

/**
 * The entry's comments, in threads (a reply names its parent with `X-Contentful-Parent-Id`): everyone who
 * reads the entry reads, writes and answers them; their authors and space admins edit and delete them
 * (deleting a comment deletes its replies).
 */
export function EntryComments({ api, entryId, people, userId, admin }: EntryCommentsProps) {
  const headingId = useId();
  const comments = useQuery(() => api.comments(entryId), [api, entryId]);
  const [open, setOpen] = useState<Open>();
  const [deleting, setDeleting] = useState<Comment>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CmaError>();

  const write = async (run: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    let done = false;
    try {
      await run();
      setOpen(undefined);
      done = true;
    } catch (err) {
      setError(err as CmaError);
    }
    setBusy(false);
    comments.reload();
    return done;
  };

  const items = [...(comments.data?.items ?? [])].sort((a, b) => a.sys.createdAt.localeCompare(b.sys.createdAt));
  const ids = new Set(items.map((c) => c.sys.id));
  const repliesTo = (id: string) => items.filter((c) => c.sys.parent?.sys.id === id);
  const threads = items.filter((c) => !c.sys.parent || !ids.has(c.sys.parent.sys.id));
  const owns = (comment: Comment) => admin || comment.sys.createdBy?.sys.id === userId;

  const renderComment = (comment: Comment, depth: number) => {
    const author = people.name(comment.sys.createdBy);
    const editing = open?.kind === 'edit' && open.id === comment.sys.id;
    const replying = open?.kind === 'reply' && open.id === comment.sys.id;
    const replies = repliesTo(comment.sys.id);
    return (
      <li key={comment.sys.id} className="sidebar-item" aria-label={`Comment by ${author}: ${comment.body}`}>
        <Flex justifyContent="space-between" gap="spacingXs" flexWrap="wrap" className="sidebar-meta">
          <strong>{author}</strong>
          <time dateTime={comment.sys.createdAt}>{formatDateTime(comment.sys.createdAt)}</time>
        </Flex>
        {editing ? (
          <CommentForm
            label="Edit comment"
            submitLabel="Save comment"
            initial={comment.body}
            busy={busy}
            onCancel={() => setOpen(undefined)}
            onSubmit={(body) => write(() => api.updateComment(entryId, comment, body))}
          />
        ) : (
          <>
            <p className="sidebar-body">{comment.body}</p>
            {comment.sys.updatedAt !== comment.sys.createdAt && <span className="sidebar-meta">(edited)</span>}
            <Flex flexWrap="wrap" gap="spacingXs" marginTop="spacingXs">
              {depth === 0 && (
                <Button
                  size="small"
                  isDisabled={busy}
                  aria-label={`Reply to ${author}`}
                  onClick={() => setOpen({ kind: 'reply', id: comment.sys.id })}
                >
                  Reply
                </Button>
              )}
              {owns(comment) && (
                <Button
                  size="small"
                  isDisabled={busy}
                  aria-label="Edit comment"
                  onClick={() => setOpen({ kind: 'edit', id: comment.sys.id })}
                >
                  Edit
                </Button>
              )}
              {owns(comment) && (
                <Button size="small" variant="negative" isDisabled={busy} aria-label="Delete comment" onClick={() => setDeleting(comment)}>
                  Delete
                </Button>
              )}
            </Flex>
          </>
        )}
        {(replies.length > 0 || replying) && (
          <ul className="sidebar-list sidebar-replies" aria-label={`Replies to ${author}`}>
            {replies.map((reply) => renderComment(reply, depth + 1))}
            {replying && (
              <li className="sidebar-item">
                <CommentForm
                  label="Reply"
                  submitLabel="Send reply"
                  busy={busy}
                  onCancel={() => setOpen(undefined)}
                  onSubmit={(body) => write(() => api.createComment(entryId, body, comment.sys.id))}
                />
              </li>
            )}
          </ul>
        )}
      </li>
    );
  };

  return (
    <section className="sidebar-panel" aria-labelledby={headingId}>
      <Heading as="h2" id={headingId} className="sidebar-heading">
        Comments
      </Heading>
      <ErrorNote error={comments.error ?? error} />
      {comments.data && items.length === 0 && <Paragraph className="sidebar-hint">No comments yet.</Paragraph>}
      {threads.length > 0 && (
        <ul className="sidebar-list" aria-label="Comments on this entry">
          {threads.map((comment) => renderComment(comment, 0))}
        </ul>
      )}
      {comments.data && (
        <CommentForm
          label="New comment"
          submitLabel="Send comment"
          busy={busy}
          onSubmit={(body) => write(() => api.createComment(entryId, body))}
        />
      )}
      <ModalConfirm
        isShown={deleting !== undefined}
        intent="negative"
        title="Delete comment"
        confirmLabel="Delete comment"
        onCancel={() => setDeleting(undefined)}
        onConfirm={() => {
          const comment = deleting;
          setDeleting(undefined);
          if (comment) void write(() => api.deleteComment(entryId, comment));
        }}
      >
        <Paragraph>
          Delete this comment{deleting && repliesTo(deleting.sys.id).length ? ' and its replies' : ''}? This cannot be undone.
        </Paragraph>
      </ModalConfirm>
    </section>
  );
}

interface CommentFormProps {
  label: string;
  submitLabel: string;
  initial?: string;
  busy: boolean;
  /** Answers whether the comment was written (the form then empties). */
  onSubmit(body: string): Promise<boolean>;
  onCancel?(): void;
}

function CommentForm({ label, submitLabel, initial = '', busy, onSubmit, onCancel }: CommentFormProps) {
  const uid = useId();
  const [body, setBody] = useState(initial);
  const length = [...body].length;
  const tooLong = length > MAX_COMMENT_CHARACTERS;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!body.trim() || tooLong) return;
    if (await onSubmit(body)) setBody('');
  };
  return (
    <Form onSubmit={submit} aria-label={label} className="sidebar-form">
      <FormControl id={`${uid}-body`} isInvalid={tooLong} marginBottom="spacingXs">
        <FormControl.Label>{label}</FormControl.Label>
        <Textarea rows={2} value={body} onChange={(e) => setBody(e.target.value)} />
        {(tooLong || length > MAX_COMMENT_CHARACTERS - 50) && (
          <FormControl.HelpText>
            {length} / {MAX_COMMENT_CHARACTERS} characters
          </FormControl.HelpText>
        )}
        {tooLong && (
          <FormControl.ValidationMessage>A comment has at most {MAX_COMMENT_CHARACTERS} characters.</FormControl.ValidationMessage>
        )}
      </FormControl>
      <Flex gap="spacingXs">
        <Button type="submit" variant="primary" size="small" isLoading={busy} isDisabled={busy || !body.trim() || tooLong}>
          {submitLabel}
        </Button>
        {onCancel && (
          <Button size="small" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </Flex>
    </Form>
  );
}
