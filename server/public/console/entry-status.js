// Status badges shared by the entry list and editor.
import { el } from './shell.js';

export const statusLabels = { draft: '草稿', review: '审核中', published: '已发布', archived: '已归档' };
export const workingLabels = { draft: '有未发布的修改', review: '修改审核中' };

export function statusBadges(status, working, validTo) {
  const badges = [el('span', { class: `badge ${status}`, text: statusLabels[status] ?? status })];
  if (validTo && new Date(validTo) < new Date()) badges.push(el('span', { class: 'badge expired', text: '已过期' }));
  if (working && status === 'published') {
    badges.push(el('span', { class: `badge working ${working.state}`, text: workingLabels[working.state] }));
  }
  return badges;
}

// Validity dates are days in the hotline's time zone (from /api/console/me), whatever the browser's.
let timeZone;
export const useTimeZone = (zone) => {
  timeZone = zone;
};
export const day = (iso) =>
  iso
    ? new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
        new Date(iso),
      )
    : '';
export const time = (iso) => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false, timeZone }) : '');
