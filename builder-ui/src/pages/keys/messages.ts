import { m } from '../../text.ts';

/** The API keys page's strings (keys unique across the app: prefixed with the page's name). */
export const keysMessages = {
  navKeys: m('API 密钥', 'API keys'),
  keysSubtitle: m('给同事和系统对接用的密钥；每把密钥一个角色', 'Keys for colleagues and integrations; one role each'),
  keysCreate: m('新建密钥', 'New key'),
  keysName: m('名称', 'Name'),
  keysRole: m('角色', 'Role'),
  keysPrefix: m('前缀', 'Prefix'),
  keysCreatedAt: m('创建时间', 'Created'),
  keysLastUsed: m('最近使用', 'Last used'),
  keysNeverUsed: m('从未使用', 'Never'),
  keysState: m('状态', 'State'),
  keysActive: m('有效', 'Active'),
  keysRevoked: m('已吊销', 'Revoked'),
  keysRevoke: m('吊销', 'Revoke'),
  keysRevokeTitle: m('吊销密钥“{name}”？', 'Revoke the key “{name}”?'),
  keysRevokeBody: m(
    '使用这把密钥的人和系统将立即无法访问，无法撤销。',
    'Whoever uses this key loses access at once. This cannot be undone.',
  ),
  keysSecretTitle: m('新密钥（只显示这一次）', 'The new key (shown this once only)'),
  keysSecretHelp: m(
    '请现在复制并妥善保存，关闭后无法再次查看。',
    'Copy it now and keep it safe: it cannot be shown again.',
  ),
  keysSecretDone: m('我已保存', 'I have saved it'),
};
