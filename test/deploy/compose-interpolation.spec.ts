import { renderTemplate } from '../support/nginx-gateway';
import { interpolate } from './compose';

describe('compose interpolation (as docker compose does it)', () => {
  const vars = { SET: 'value', EMPTY: '', PW: 'secret' };

  it('substitutes, defaults, alternates and nests', () => {
    expect(interpolate('${SET} $SET', vars)).toBe('value value');
    expect(interpolate('${UNSET:-d} ${EMPTY:-d} ${EMPTY-d} ${SET:-d}', vars)).toBe('d d  value');
    expect(interpolate('${PW:+postgres://u:${PW}@db/x}', vars)).toBe('postgres://u:secret@db/x');
    expect(interpolate('${UNSET:+postgres://u:${PW}@db/x}', vars)).toBe('');
    expect(interpolate('${UNSET:-${SET:-x}}', vars)).toBe('value');
    expect(interpolate('$$HOME', vars)).toBe('$HOME');
    expect(() => interpolate('${UNSET:?is required}', vars)).toThrow('UNSET: is required');
  });

  it('renders nginx templates like the nginx image: only filtered, defined variables', () => {
    const env = { NGINX_ENVSUBST_FILTER: '^GATEWAY', GATEWAY_PORT: '8080', OTHER: 'x' };
    expect(renderTemplate('listen ${GATEWAY_PORT}; ${OTHER} $uri ${GATEWAY_UNSET}', env)).toBe(
      'listen 8080; ${OTHER} $uri ${GATEWAY_UNSET}',
    );
  });
});
