import { renderCard, type AdaptiveCardJson } from './render';

export interface NoticeCardData {
  title: string;
  detail: string;
  tone: 'good' | 'attention' | 'default';
}

/** A short card with a headline and an optional detail: confirmations, refusals, cancellations. */
export function noticeCard(title: string, detail = '', tone: NoticeCardData['tone'] = 'default'): AdaptiveCardJson {
  return renderCard<NoticeCardData>('notice', { title, detail, tone });
}
