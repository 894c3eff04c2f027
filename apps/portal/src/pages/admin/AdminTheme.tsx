import { ConfigProvider } from 'antd';
import type { ReactNode } from 'react';

/**
 * The admin pages' error red dark enough for WCAG AA on white (antd's #ff4d4f is 3:1): form
 * errors and danger buttons (deactivate, revoke) read as text. Nested, so the rest of the theme
 * is the shell's.
 */
export function AdminTheme({ children }: { children: ReactNode }) {
  return <ConfigProvider theme={{ token: { colorError: '#c41d1f' } }}>{children}</ConfigProvider>;
}
