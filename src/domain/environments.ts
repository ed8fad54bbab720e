/** The environment every space starts with; paths without `/environments/{id}` mean it. */
export const MASTER = 'master';
