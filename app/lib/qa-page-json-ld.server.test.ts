/** The question page's structured data: valid QAPage JSON that no post can break out of. */
import { htmlToText } from "~/lib/structured-data";
import { qaPageJsonLd } from "./qa-page-json-ld.server";

const question = {
  title: "Why does </script><script>alert(1)</script> show up?",
  bodyHtml: "<p>It says <code>&lt;b&gt;</code> &amp; more</p>",
  score: 3,
  createdAt: "2030-01-01T00:00:00.000Z",
  authorName: "Dev",
};

test("the accepted answer and the others are described, and the text is plain", () => {
  const json = qaPageJsonLd({
    url: "https://forum.example/q/1/why",
    question,
    answers: [
      {
        id: 7,
        bodyHtml: "<p>Escape it.</p>",
        score: 2,
        createdAt: "2030-01-02T00:00:00.000Z",
        authorName: "Priya",
        isAccepted: false,
      },
      {
        id: 8,
        bodyHtml: "<p>Use <strong>textContent</strong>.</p>",
        score: 5,
        createdAt: "2030-01-03T00:00:00.000Z",
        authorName: "Sofia",
        isAccepted: true,
      },
    ],
  });
  const data = JSON.parse(json) as {
    "@type": string;
    mainEntity: {
      text: string;
      answerCount: number;
      acceptedAnswer: { text: string; url: string };
      suggestedAnswer: { author: { name: string } }[];
    };
  };
  expect(data["@type"]).toBe("QAPage");
  expect(data.mainEntity.text).toBe("It says <b> & more");
  expect(data.mainEntity.answerCount).toBe(2);
  expect(data.mainEntity.acceptedAnswer).toMatchObject({
    text: "Use textContent.",
    url: "https://forum.example/q/1/why#answer-8",
  });
  expect(data.mainEntity.suggestedAnswer.map((a) => a.author.name)).toEqual(["Priya"]);
});

test("nothing in a post can close the script element", () => {
  const json = qaPageJsonLd({ url: "https://forum.example/q/1", question, answers: [] });
  expect(json).not.toMatch(/[<>&]/);
  expect((JSON.parse(json) as { mainEntity: { name: string } }).mainEntity.name).toBe(question.title);
  expect(htmlToText("<p>a</p>\n<p>b</p>")).toBe("a b");
});

test("glossary explanations added to the page are not part of the post's text", () => {
  const html =
    '<p>The <button type="button" class="glossary-term" popovertarget="g1-vpn">VPN</button><span id="g1-vpn" popover class="glossary-note"><strong>VPN</strong> (virtual private network): A tunnel. <a href="/glossary#vpn">More in the glossary</a> <button type="button" class="glossary-close" popovertarget="g1-vpn" popovertargetaction="hide">Close</button></span> drops.</p>';
  expect(htmlToText(html)).toBe("The VPN drops.");
});
