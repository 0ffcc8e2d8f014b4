import { expect } from "@playwright/test";

/** One sample of the text format: `name{labels} value`. */
type Sample = { name: string; labels: Record<string, string>; value: number };

/**
 * A server's /metrics as Prometheus reads it. Prometheus publishes no parser for JavaScript, and the one on npm
 * (parse-prometheus-text-format) drops the labels of histogram series: this reads the text format's sample
 * lines by its grammar (exposition_formats.md: `name{label="value",…} value`, values escaped with \\, \" and \n)
 * and checks that every sample's family has its HELP and TYPE.
 */
export async function scrape(url: string, token?: string): Promise<Sample[]> {
  const response = await fetch(`${url}/metrics`, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  const samples: Sample[] = [];
  const described = new Set<string>();
  const typed = new Set<string>();
  for (const line of (await response.text()).split("\n")) {
    const comment = /^# (HELP|TYPE) (\w+) /.exec(line);
    if (comment) (comment[1] === "HELP" ? described : typed).add(comment[2]!);
    if (line === "" || line.startsWith("#")) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    expect(sample, `a sample line: ${line}`).not.toBeNull();
    const [, name, labels = "", value] = sample!;
    const family = name!.replace(/_(bucket|sum|count)$/, "");
    expect(described.has(name!) || described.has(family), `HELP for ${name}`).toBe(true);
    expect(typed.has(name!) || typed.has(family), `TYPE for ${name}`).toBe(true);
    samples.push({ name: name!, labels: parseLabels(labels), value: Number(value) });
  }
  return samples;
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [, name, value] of text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)",?/g)) {
    labels[name!] = value!.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
  }
  return labels;
}

/** The value of the first series of `name` with these labels (a histogram: `name_count`), or undefined. */
export function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const names = [name, `${name}_count`];
  return samples.find((s) => names.includes(s.name) && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    ?.value;
}
