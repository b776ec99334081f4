import { describeAddress, describeUserAgent } from "./user-agent";

test("common browsers and systems are named in plain words", () => {
  const cases: [string, string][] = [
    [
      "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
      "Chrome on Android",
    ],
    [
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
      "Safari on iPhone",
    ],
    [
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
      "Edge on Windows",
    ],
    ["Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox on Mac"],
    ["curl/8.5.0", "curl"],
    ["", "Unknown device"],
  ];
  for (const [ua, words] of cases) expect(describeUserAgent(ua)).toBe(words);
});

test("addresses: private networks and this computer are said so; others are shown as they are", () => {
  expect(describeAddress("127.0.0.1")).toBe("This computer (127.0.0.1)");
  expect(describeAddress("::ffff:192.168.1.20")).toBe("A private network (192.168.1.20)");
  expect(describeAddress("172.20.0.3")).toBe("A private network (172.20.0.3)");
  expect(describeAddress("203.0.113.7")).toBe("203.0.113.7");
  expect(describeAddress(null)).toBe("Unknown address");
});
