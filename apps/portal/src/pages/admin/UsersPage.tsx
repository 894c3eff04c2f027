import { unwrap, type Role, type Schemas } from '@steward/api-client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, message, Modal, Popconfirm, Radio, Select, Space, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useCan, useSession } from '../../app/session-context';
import { formatDate } from '../../lib/format';
import { formPathOf, readProblem } from '../../lib/problem';
import { rulesOf } from '../../lib/rules';
import { ProblemAlert } from '../../ui/ProblemAlert';
import { usePageTitle } from '../../ui/usePageTitle';
import { problemFieldErrors, ROLES } from './admin-labels';
import { AdminHeader } from './AdminHeader';
import { PagedTable } from './PagedTable';
import { usePaged } from './usePaged';

type User = Schemas['User'];
type CreateUserBody = Schemas['CreateUserBody'];
type UpdateUserBody = Schemas['UpdateUserBody'];

export const USERS_KEY = ['admin', 'users'] as const;

export default function UsersPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const can = useCan();
  const session = useSession();
  const queryClient = useQueryClient();
  const [messageApi, contextHolder] = message.useMessage();
  const [creating, setCreating] = useState(false);
  usePageTitle(t('admin.users.title'));

  const users = usePaged<User>(USERS_KEY, (cursor) => unwrap(api.GET('/v1/users', { params: { query: { limit: 100, cursor } } })));

  // updateUser is open to every role for one's own name and password; role and status are the admins' (as creating users).
  const mayManage = can('updateUser') && can('createUser');

  const update = useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateUserBody; user: User }) => unwrap(api.PATCH('/v1/users/{id}', { params: { path: { id } }, body })),
    onSuccess: (updated, { body, user }) => {
      void queryClient.invalidateQueries({ queryKey: USERS_KEY });
      if (body.role) void messageApi.success(t('admin.users.roleChanged', { name: updated.name, role: t(`roles.${updated.role}`) }));
      else if (body.active !== undefined) void messageApi.success(t(body.active ? 'admin.users.reactivated_ok' : 'admin.users.deactivated_ok', { name: user.name }));
    },
  });

  const columns: TableColumnsType<User> = [
    {
      title: t('admin.users.name'),
      dataIndex: 'name',
      render: (name: string, u) => (
        <Space size={4}>
          <span>{name}</span>
          {u.id === session?.user.id && <Typography.Text type="secondary">({t('admin.users.you')})</Typography.Text>}
        </Space>
      ),
    },
    { title: t('admin.users.email'), dataIndex: 'email' },
    {
      title: t('admin.users.role'),
      dataIndex: 'role',
      render: (role: Role, u) =>
        mayManage ? (
          <Select<Role>
            data-action="write"
            data-testid="user-role-select"
            aria-label={t('admin.users.changeRole', { name: u.name })}
            value={role}
            style={{ minWidth: 180 }}
            disabled={update.isPending}
            onChange={(next) => {
              update.reset();
              update.mutate({ id: u.id, body: { role: next }, user: u });
            }}
            options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          />
        ) : (
          t(`roles.${role}`)
        ),
    },
    {
      title: t('admin.users.status'),
      dataIndex: 'active',
      render: (active: boolean) => <Tag>{active ? t('admin.users.active') : t('admin.users.deactivated')}</Tag>,
    },
    { title: t('admin.users.created'), dataIndex: 'createdAt', render: (at: string) => formatDate(at, i18n.language) },
    ...(mayManage
      ? [
          {
            title: t('admin.common.actions'),
            key: 'actions',
            render: (_: unknown, u: User) => (
              <Popconfirm
                title={t(u.active ? 'admin.users.deactivateConfirm' : 'admin.users.reactivateConfirm', { name: u.name })}
                okText={t(u.active ? 'admin.users.deactivate' : 'admin.users.reactivate')}
                cancelText={t('actions.cancel')}
                okButtonProps={{ danger: u.active }}
                onConfirm={() => {
                  update.reset();
                  update.mutate({ id: u.id, body: { active: !u.active }, user: u });
                }}
              >
                <Button size="small" danger={u.active} data-testid="user-deactivate" data-action="write" disabled={update.isPending}>
                  {u.active ? t('admin.users.deactivate') : t('admin.users.reactivate')}
                </Button>
              </Popconfirm>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      {contextHolder}
      <AdminHeader
        title={t('admin.users.title')}
        intro={t('admin.users.intro')}
        create={can('createUser') ? { label: t('admin.users.create'), testId: 'user-create', onClick: () => setCreating(true) } : undefined}
      />
      {update.error && (
        <div style={{ marginBottom: 16 }}>
          <ProblemAlert error={update.error} />
        </div>
      )}
      <PagedTable<User> paged={users} columns={columns} label={t('admin.users.tableLabel')} empty={t('admin.users.empty')} testId="users-table" />
      {creating && (
        <CreateUserModal
          onClose={() => setCreating(false)}
          onCreated={(u) => {
            setCreating(false);
            void queryClient.invalidateQueries({ queryKey: USERS_KEY });
            void messageApi.success(t('admin.users.created_ok', { name: u.name }));
          }}
        />
      )}
    </>
  );
}

function CreateUserModal({ onClose, onCreated }: { onClose: () => void; onCreated: (u: User) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [form] = Form.useForm<CreateUserBody>();
  const create = useMutation({
    mutationFn: (body: CreateUserBody) => unwrap(api.POST('/v1/users', { body })),
    onSuccess: onCreated,
    onError: (error) => {
      const fields = problemFieldErrors(readProblem(error).fields, ['name', 'email', 'role', 'password'], formPathOf);
      if (fields.length) form.setFields(fields as Parameters<typeof form.setFields>[0]);
    },
  });

  return (
    <Modal open title={t('admin.users.createTitle')} onCancel={onClose} footer={null} destroyOnHidden maskClosable={false}>
      <Form<CreateUserBody> form={form} layout="vertical" requiredMark onFinish={(values) => create.mutate({ ...values, name: values.name.trim(), email: values.email.trim() })} initialValues={{ role: 'viewer' }}>
        <Form.Item name="name" label={t('admin.users.name')} rules={rulesOf('CreateUserBody', 'name', t)}>
          <Input data-testid="user-name" autoComplete="off" />
        </Form.Item>
        <Form.Item name="email" label={t('admin.users.email')} rules={rulesOf('CreateUserBody', 'email', t)}>
          <Input data-testid="user-email" type="email" autoComplete="off" />
        </Form.Item>
        <Form.Item name="role" label={t('admin.users.role')} rules={rulesOf('CreateUserBody', 'role', t)}>
          <Radio.Group data-testid="user-role" options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
        </Form.Item>
        <Form.Item name="password" label={t('admin.users.password')} extra={t('admin.users.passwordHelp')} rules={rulesOf('CreateUserBody', 'password', t)}>
          <Input.Password data-testid="user-password" autoComplete="new-password" />
        </Form.Item>
        {create.error && (
          <div style={{ marginBottom: 16 }}>
            <ProblemAlert error={create.error} />
          </div>
        )}
        <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('actions.cancel')}</Button>
          <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="user-submit" data-action="write">
            {t('admin.users.submit')}
          </Button>
        </Space>
      </Form>
    </Modal>
  );
}
