import { Button, Table, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { EmptyState, QueryView } from '../../ui/states';
import type { Paged } from './usePaged';

/** A "load more" list of the admin pages: its loading, error and empty states, the table and the button. */
export function PagedTable<T extends { id: string }>({ paged, columns, label, empty, testId }: { paged: Paged<T>; columns: TableColumnsType<T>; label: string; empty: string; testId: string }) {
  const { t } = useTranslation();
  return (
    <QueryView query={paged}>
      {(items) =>
        items.length === 0 ? (
          <EmptyState description={empty} />
        ) : (
          <div aria-label={label} role="region">
            <Table<T> data-testid={testId} rowKey="id" columns={columns} dataSource={items} pagination={false} scroll={{ x: true }} />
            {paged.hasMore && (
              <div style={{ textAlign: 'center', marginTop: 16 }}>
                <Button onClick={paged.loadMore} loading={paged.loadingMore}>
                  {t('admin.common.loadMore')}
                </Button>
              </div>
            )}
          </div>
        )
      }
    </QueryView>
  );
}
