import { message } from 'antd';
import { useLayoutEffect, type ReactNode } from 'react';
import { MessageContext, setMessageApi } from '../feedback';

/** Renders antd's message holder inside ConfigProvider and shares its API with hooks and helpers. */
export function FeedbackProvider({ children }: { children: ReactNode }) {
  const [api, holder] = message.useMessage();
  useLayoutEffect(() => {
    setMessageApi(api);
    return () => setMessageApi(null);
  }, [api]);
  return (
    <MessageContext.Provider value={api}>
      {holder}
      {children}
    </MessageContext.Provider>
  );
}
