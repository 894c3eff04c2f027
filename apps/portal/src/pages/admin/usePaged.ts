// Cursor-paged lists of the API as one growing list ("Load more"), with the shape QueryView expects.
import { useInfiniteQuery, type QueryKey } from '@tanstack/react-query';
import { useMemo } from 'react';

export interface Paged<T> {
  data: T[] | undefined;
  error: unknown;
  isPending: boolean;
  refetch: () => unknown;
  hasMore: boolean;
  loadMore: () => void;
  loadingMore: boolean;
  /** When the data was last fetched (ms): "now" for what the list shows. */
  updatedAt: number;
}

export function usePaged<T>(queryKey: QueryKey, fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>, enabled = true): Paged<T> {
  const q = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
  const data = useMemo(() => q.data?.pages.flatMap((p) => p.items), [q.data]);
  return {
    data,
    error: q.error,
    isPending: q.isPending,
    refetch: q.refetch,
    hasMore: q.hasNextPage,
    loadMore: () => void q.fetchNextPage(),
    loadingMore: q.isFetchingNextPage,
    updatedAt: q.dataUpdatedAt,
  };
}
