/**
 * The words of worker-direct intake (the public submission page and the liaison's 待核实 list),
 * Chinese first, English when switched; used only by these pages (their own chunks).
 */
import { language } from '../../i18n.js';

type Pair = readonly [zh: string, en: string];

const WORDS = {
  submitTitle: ['反映诉求 · 建言献策', 'Tell us your problem or suggestion'],
  submitHelp: ['无需登录，可匿名；支部联络员会在 1 个工作日内核实', 'No sign-in, anonymous allowed; the branch liaison verifies it within 1 working day'],
  kind: ['类型', 'Kind'], grievance: ['诉求（遇到的问题）', 'A problem'], suggestion: ['建言献策', 'A suggestion'],
  description: ['请写下发生了什么（时间、地点、平台、金额）', 'What happened (when, where, which platform, how much)'],
  category: ['问题类别（可不选）', 'What it is about (optional)'], phone: ['联系电话（可不填）', 'Phone (optional)'],
  work: ['您的工作（可不选）', 'Your work (optional)'],
  anonymous: ['匿名提交（不留电话）', 'Anonymous (no phone kept)'], platform: ['涉及平台（可不填）', 'Platform (optional)'],
  file: ['照片或语音（可选）', 'Photo or voice note (optional)'], send: ['提交', 'Send'],
  sent: ['已提交', 'Sent'], trackingCode: ['查询码', 'Tracking code'],
  keepCode: ['请截图或记下查询码，凭它查看进度', 'Keep this code (take a screenshot): it shows the progress'],
  fileFailed: ['附件上传失败，可稍后重新提交', 'The file was not uploaded'],
  track: ['查看进度', 'Check progress'], state: ['进度', 'Progress'], reason: ['理由', 'Reason'], reference: ['案件编号', 'Case reference'],
  followCase: ['查看案件办理进度', 'Follow the case'], notFound: ['查询码不存在', 'No submission with this code'],
  waiting: ['待支部核实', 'Waiting for the branch to verify'], registered: ['已登记为案件', 'Registered as a case'],
  declined: ['未予登记', 'Declined'], forwarded: ['已转协调会召集单位', 'Forwarded to the convener'],
  toVerify: ['待核实（劳动者自助提交）', 'To verify (workers\' own submissions)'], none: ['暂无待核实的提交', 'Nothing to verify'],
  due: ['核实期限', 'Verify by'], overdue: ['已超期', 'Overdue'], registerIt: ['登记为案件', 'Register as a case'],
  declineIt: ['不予登记', 'Decline'], forwardIt: ['转协调会召集单位', 'Forward to the convener'], reasonSeen: ['理由（劳动者可见）', 'Reason (the worker sees it)'],
  note: ['附言（可选）', 'Note (optional)'], confirm: ['确定', 'Confirm'], cancel: ['取消', 'Cancel'], files: ['附件', 'Files'],
  anonymousWorker: ['匿名', 'Anonymous'],
} as const satisfies Record<string, Pair>;

export type WordKey = keyof typeof WORDS;
export const w = (key: WordKey) => WORDS[key][language.value === 'en' ? 1 : 0];
