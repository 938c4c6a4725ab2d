import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";

const marked = new Marked({ gfm: true, breaks: false, async: false });

// Prompts are written by teachers but read by everyone: render Markdown, then keep only harmless HTML.
export function renderMarkdown(source: string): string {
  const html = marked.parse(source) as string;
  return sanitizeHtml(html, {
    allowedTags: [...sanitizeHtml.defaults.allowedTags, "img", "h1", "h2", "del", "input"],
    allowedAttributes: {
      a: ["href", "title", "rel"],
      img: ["src", "alt", "title"],
      code: ["class"],
      input: ["type", "checked", "disabled"],
      th: ["align"],
      td: ["align"],
    },
    allowedSchemes: ["http", "https", "mailto"],
    allowedSchemesByTag: { img: ["http", "https"] },
    transformTags: { a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer nofollow" }) },
  });
}

const chatMarked = new Marked({ gfm: true, breaks: true, async: false });

// Chat is written by anyone in a group: emphasis, code, lists and links only; no headings, images or raw
// HTML (marked passes HTML through; sanitizing removes it, keeping its text).
export function renderChatMarkdown(source: string): string {
  const html = chatMarked.parse(source) as string;
  return sanitizeHtml(html, {
    allowedTags: ["p", "br", "strong", "b", "em", "i", "del", "code", "pre", "ul", "ol", "li", "a", "blockquote"],
    allowedAttributes: { a: ["href", "rel", "target"] },
    allowedSchemes: ["http", "https", "mailto"],
    transformTags: { a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer nofollow", target: "_blank" }) },
  });
}
