import { Cascader } from 'antd';
import { useEffect, useState } from 'react';
import { jsonFetch } from '../catalog/page-kit';

type Region = { code: string; name: string; level: 'province' | 'city' | 'county'; parentCode: string | null };
type Option = { value: string; label: string; isLeaf: boolean; children?: Option[] };

const cache = new Map<string, Promise<Region[]>>();

function children(parent: string | null): Promise<Region[]> {
  const key = parent ?? '';
  let p = cache.get(key);
  if (!p) {
    p = jsonFetch<{ items: Region[] }>(`/api/regions${parent ? `?parent=${parent}` : ''}`).then((r) => r.items);
    cache.set(key, p);
  }
  return p;
}

const toOption = (r: Region): Option => ({ value: r.code, label: r.name, isLeaf: r.level === 'county' });

/** The GB/T 2260 path of a code: 330106 → [330000, 330100, 330106]. */
export function regionPathOf(code: string | null | undefined): string[] {
  if (!code) return [];
  const province = `${code.slice(0, 2)}0000`;
  const city = `${code.slice(0, 4)}00`;
  if (code === province) return [province];
  if (code === city) return [province, city];
  return [province, city, code];
}

type Props = { value?: string | null; onChange?: (code: string | null) => void; placeholder?: string; style?: React.CSSProperties; changeOnSelect?: boolean; id?: string };

/** Province → city → county picker over /api/regions; the form value is the 6-digit code. */
export function RegionCascader({ value, onChange, placeholder, style, changeOnSelect = true, id }: Props) {
  const [options, setOptions] = useState<Option[]>([]);

  useEffect(() => {
    let alive = true;
    void (async () => {
      const provinces = (await children(null)).map(toOption);
      const path = regionPathOf(value);
      // Preload the branch of the current value so the cascader can show its labels.
      let level = provinces;
      for (const code of path.slice(0, -1)) {
        const node = level.find((o) => o.value === code);
        if (!node) break;
        node.children = (await children(code)).map(toOption);
        level = node.children;
      }
      if (alive) setOptions(provinces);
    })();
    return () => {
      alive = false;
    };
  }, []);

  const loadData = async (selected: Option[]) => {
    const target = selected[selected.length - 1];
    if (!target || target.children) return;
    target.children = (await children(target.value)).map(toOption);
    setOptions((o) => [...o]);
  };

  return (
    <Cascader
      id={id}
      options={options}
      loadData={(s) => void loadData(s as Option[])}
      value={regionPathOf(value)}
      changeOnSelect={changeOnSelect}
      onChange={(path) => onChange?.(path && path.length ? String(path[path.length - 1]) : null)}
      placeholder={placeholder}
      style={style ?? { width: '100%' }}
      allowClear
      showSearch={false}
    />
  );
}
