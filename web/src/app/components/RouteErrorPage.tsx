import { CloseCircleFilled } from '@ant-design/icons';
import { Button, Flex } from 'antd';
import { useTranslation } from 'react-i18next';
import { isRouteErrorResponse, useRouteError } from 'react-router';

/** Last-resort boundary: a crashed page or a chunk that failed to load (e.g. after a deploy). */
export function RouteErrorPage() {
  const { t } = useTranslation();
  const error = useRouteError();
  const detail = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : error instanceof Error ? error.message : '';
  return (
    <Flex vertical align="center" justify="center" gap="middle" style={{ minHeight: '60vh' }}>
      <CloseCircleFilled style={{ fontSize: 56, color: '#ff4d4f' }} />
      <h2 style={{ margin: 0 }}>{t('errors.pageCrashed')}</h2>
      {detail && <span style={{ opacity: 0.65 }}>{detail}</span>}
      <Button type="primary" onClick={() => window.location.reload()}>
        {t('common.reload')}
      </Button>
    </Flex>
  );
}
