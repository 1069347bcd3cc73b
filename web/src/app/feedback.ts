import { message as staticMessage } from 'antd';
import { createContext, useContext } from 'react';

export type MessageApi = ReturnType<typeof staticMessage.useMessage>[0];

/** Provided by <FeedbackProvider>; antd's App component is avoided to keep Modal out of the shell bundle. */
export const MessageContext = createContext<MessageApi | null>(null);

let messageApi: MessageApi | null = null;

/** Registered by <FeedbackProvider> so helpers outside React use the themed, localised instance. */
export function setMessageApi(api: MessageApi | null): void {
  messageApi = api;
}

export function getMessageApi(): MessageApi {
  return messageApi ?? staticMessage;
}

/** Toasts that follow the app's theme and locale. */
export function useMessage(): MessageApi {
  return useContext(MessageContext) ?? staticMessage;
}
