import type {
  Base64ImageSource,
  DocumentBlockParam,
  ImageBlockParam,
  TextBlockParam,
} from "@anthropic-ai/sdk/resources/messages";
import type {
  ChatCompletionContentPart,
  ChatCompletionContentPartText,
} from "openai/resources/chat/completions";
import { UnsupportedFeatureError } from "../types";

/** A user content block this adapter can produce from an OpenAI content part. */
export type UserBlock = TextBlockParam | ImageBlockParam | DocumentBlockParam;

type ImageMediaType = Base64ImageSource["media_type"];
const IMAGE_MEDIA_TYPES: readonly ImageMediaType[] = [
  "image/jpeg",
  "image/png",
  "image/gif",
  "image/webp",
];

function isImageMediaType(value: string): value is ImageMediaType {
  return (IMAGE_MEDIA_TYPES as readonly string[]).includes(value);
}

// OpenAI's explicit prompt-cache breakpoint maps onto Anthropic's cache_control marker, which is
// the only way to get prompt caching from Anthropic at all.
function cacheControl(part: { prompt_cache_breakpoint?: unknown }): {
  cache_control?: { type: "ephemeral" };
} {
  return part.prompt_cache_breakpoint ? { cache_control: { type: "ephemeral" } } : {};
}

/** Splits a `data:<type>;base64,<data>` URL; returns undefined for anything else. */
export function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  const match = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s.exec(url);
  if (!match) return undefined;
  const params = (match[2] ?? "").split(";");
  if (!params.includes("base64")) return undefined;
  return { mediaType: (match[1] ?? "").toLowerCase(), data: match[3] ?? "" };
}

/** Translates a text part; empty text yields nothing because Anthropic rejects empty blocks. */
export function textBlocks(part: ChatCompletionContentPartText): TextBlockParam[] {
  if (part.text === "") return [];
  return [{ type: "text", text: part.text, ...cacheControl(part) }];
}

/** Translates a string or text-part content into text blocks. */
export function textContent(
  content: string | ChatCompletionContentPartText[] | null | undefined,
): TextBlockParam[] {
  if (content == null) return [];
  if (typeof content === "string") return content === "" ? [] : [{ type: "text", text: content }];
  return content.flatMap(textBlocks);
}

function imageBlock(url: string, param: string, part: ChatCompletionContentPart): ImageBlockParam {
  const dataUrl = parseDataUrl(url);
  if (dataUrl) {
    if (!isImageMediaType(dataUrl.mediaType)) {
      throw new UnsupportedFeatureError(
        `Anthropic accepts only JPEG, PNG, GIF and WebP images, not "${dataUrl.mediaType}".`,
        param,
      );
    }
    const source = { type: "base64" as const, media_type: dataUrl.mediaType, data: dataUrl.data };
    return { type: "image", source, ...cacheControl(part) };
  }
  if (/^https?:\/\//i.test(url))
    return { type: "image", source: { type: "url", url }, ...cacheControl(part) };
  throw new UnsupportedFeatureError(
    "Image URLs must be base64 data: URLs or http(s) URLs for Anthropic.",
    param,
  );
}

function fileBlock(part: ChatCompletionContentPart.File, param: string): DocumentBlockParam {
  const { file_data: fileData, file_id: fileId, filename } = part.file;
  // OpenAI file ids name files stored at OpenAI; Anthropic cannot read them.
  if (fileId !== undefined || fileData === undefined) {
    throw new UnsupportedFeatureError(
      "Anthropic cannot read OpenAI file ids; send the file inline as file_data.",
      param,
    );
  }
  // OpenAI documents file_data as a data: URL but also accepts bare base64, which it treats as PDF.
  const parsed = parseDataUrl(fileData) ?? { mediaType: "application/pdf", data: fileData };
  const title = filename ? { title: filename } : {};
  if (parsed.mediaType === "application/pdf") {
    const source = { type: "base64" as const, media_type: "application/pdf" as const };
    return { type: "document", source: { ...source, data: parsed.data }, ...title };
  }
  if (parsed.mediaType === "text/plain") {
    const data = Buffer.from(parsed.data, "base64").toString("utf8");
    const source = { type: "text" as const, media_type: "text/plain" as const, data };
    return { type: "document", source, ...title };
  }
  throw new UnsupportedFeatureError(
    `Anthropic accepts only PDF and plain-text files, not "${parsed.mediaType}".`,
    param,
  );
}

/** Translates one user content part into Anthropic blocks, refusing what Anthropic cannot read. */
export function userPartBlocks(part: ChatCompletionContentPart, param: string): UserBlock[] {
  switch (part.type) {
    case "text":
      return textBlocks(part);
    case "image_url":
      // `detail` has no Anthropic equivalent: Anthropic always sizes images itself.
      return [imageBlock(part.image_url.url, `${param}.image_url.url`, part)];
    case "file":
      return [fileBlock(part, `${param}.file`)];
    case "input_audio":
      throw new UnsupportedFeatureError("Anthropic does not accept audio input.", param);
    default: {
      const type: unknown = (part as { type?: unknown }).type;
      throw new UnsupportedFeatureError(
        `Content parts of type "${String(type)}" are not supported by Anthropic.`,
        param,
      );
    }
  }
}
