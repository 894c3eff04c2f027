import { PlusOutlined } from '@ant-design/icons';
import { Button, Space, Typography } from 'antd';

/** An admin page's heading: its one h1, a sentence under it and, for roles that may, the create button. */
export function AdminHeader({ title, intro, create }: { title: string; intro: string; create?: { label: string; testId: string; onClick: () => void } }) {
  return (
    <Space style={{ width: '100%', justifyContent: 'space-between', alignItems: 'flex-start' }} wrap>
      <div>
        <Typography.Title level={1} style={{ marginTop: 0 }}>
          {title}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{intro}</Typography.Paragraph>
      </div>
      {create && (
        <Button type="primary" icon={<PlusOutlined />} data-testid={create.testId} data-action="write" onClick={create.onClick}>
          {create.label}
        </Button>
      )}
    </Space>
  );
}
