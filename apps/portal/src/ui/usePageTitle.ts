import { useEffect } from 'react';

/** Sets the browser tab's title to `<page> · Steward` while the page is shown. */
export function usePageTitle(title: string | undefined): void {
  useEffect(() => {
    if (title) document.title = `${title} · Steward`;
  }, [title]);
}
