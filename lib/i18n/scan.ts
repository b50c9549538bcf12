// Finds user-visible text written straight into the UI code instead of the message catalogs
// (lib/i18n/messages). Run by tests/i18n.test.ts over app/; `npx tsx lib/i18n/scan.ts [files…]`
// prints what it finds. A line may opt out with a comment `// i18n-exempt: <why>` on it or the line
// above (for text that is not language: a product name, a code sample, a language's own name).
import { readFileSync } from "node:fs";
import ts from "typescript";

export interface Finding {
  file: string;
  line: number;
  text: string;
  rule: "jsx-text" | "attribute" | "string";
}

/** Attributes whose value a person reads or hears. */
const USER_ATTRIBUTES = new Set([
  "aria-label",
  "aria-description",
  "aria-placeholder",
  "aria-roledescription",
  "aria-valuetext",
  "placeholder",
  "title",
  "alt",
  "label",
]);

/** Attributes whose value is code: class lists, ids, URLs, test hooks, types. */
const CODE_ATTRIBUTES =
  /^(className|class|id|key|href|src|type|role|name|htmlFor|form|method|action|rel|target|as|autoComplete|inputMode|enterKeyHint|accept|pattern|dir|lang|data-.*|aria-(controls|describedby|labelledby|owns|activedescendant|haspopup|live|current|relevant|sort|orientation|autocomplete|errormessage|details|flowto)|style|sizes|loading|decoding|referrerPolicy|crossOrigin|media|value|defaultValue|variant|size|kind|mode|tone|icon|testId)$/;

const LETTER = /\p{L}/u;
/** A Tailwind-style class list: lower-case tokens, at least one with a dash or a variant colon. */
function looksLikeClasses(s: string): boolean {
  const tokens = s.trim().split(/\s+/);
  return (
    tokens.every((t) => /^[!-]?[a-z0-9@][a-z0-9:/.\-[\]%_#(),&>*~+='"!]*$/.test(t)) &&
    tokens.some((t) => /[-:[]/.test(t))
  );
}

/** Text that is not language even though it has letters: URLs, paths, identifiers, formats. */
function isCode(s: string): boolean {
  const t = s.trim();
  if (!LETTER.test(t)) return true;
  if (/^(https?:|mailto:|\/|\.\/|#|\?|@\/|[a-z]+:\/\/)/.test(t)) return true;
  if (/^[\w.:/#@$-]+$/.test(t) && !/\s/.test(t) && /^[a-z0-9_.:/#@$-]+$/.test(t)) return true; // ids, keys
  if (/^[A-Z_]+$/.test(t)) return true; // CONSTANTS
  if (looksLikeClasses(t)) return true;
  if (/^(image|text|application|audio|video)\/[\w.+*-]+/.test(t)) return true; // MIME types
  if (/^[\w-]+(\.[\w-]+)+$/.test(t)) return true; // dotted names, file names
  return false;
}

function exempt(sf: ts.SourceFile, node: ts.Node): boolean {
  const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  const lines = sf.text.split("\n");
  return [line, line - 1].some((l) => l >= 0 && /i18n-exempt/.test(lines[l] ?? ""));
}

function attributeName(node: ts.Node): string | undefined {
  let n: ts.Node | undefined = node.parent;
  while (n && !ts.isJsxAttribute(n)) {
    if (ts.isJsxElement(n) || ts.isJsxSelfClosingElement(n) || ts.isBlock(n) || ts.isArrowFunction(n))
      return undefined;
    n = n.parent;
  }
  return n && ts.isJsxAttribute(n) ? n.name.getText() : undefined;
}

/** A string that is code by where it stands: an import, a type, a key, a call that takes code. */
function inCodePosition(node: ts.Node): boolean {
  const p = node.parent;
  if (!p) return false;
  if (ts.isImportDeclaration(p) || ts.isExportDeclaration(p) || ts.isExternalModuleReference(p)) return true;
  if (ts.isLiteralTypeNode(p) || ts.isExpressionStatement(p)) return true; // types, "use client"
  if (ts.isPropertyAssignment(p) && p.name === node) return true;
  if (ts.isElementAccessExpression(p) && p.argumentExpression === node) return true;
  if ((ts.isBinaryExpression(p) && /^(===|!==|==|!=)$/.test(p.operatorToken.getText())) || ts.isCaseClause(p))
    return true;
  for (let n: ts.Node | undefined = p; n; n = n.parent) {
    if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
      const callee = n.expression.getText();
      if (
        /^(console\.\w+|cn|clsx|cx|require|import|fetch|t|t\.\w+|\w+\.(get|getAll|has|set|delete|append|querySelector|querySelectorAll|closest|matches|startsWith|endsWith|includes|split|join|replace|replaceAll|match|test|addEventListener|removeEventListener|emit|on|off|once|getItem|setItem|removeItem|postMessage|push|replace|prefetch|toLocaleString|format|localeCompare)|new URL|URL|URLSearchParams|RegExp|Error|TypeError|AppError|Headers|Request|Response|Event|CustomEvent|BroadcastChannel|matchMedia|useTranslations|getTranslations|\w*[Ll]ogger\.\w+|log\.\w+|ack|emitWithAck|encodeURIComponent)$/.test(
          callee.replace(/^new\s+/, ""),
        )
      )
        return true;
      if (ts.isNewExpression(n) && /Error$/.test(n.expression.getText())) return true;
      return false;
    }
    if (ts.isThrowStatement(n)) return true;
    if (ts.isJsxAttribute(n) || ts.isBlock(n) || ts.isSourceFile(n)) return false;
  }
  return false;
}

export function scanSource(file: string, text: string): Finding[] {
  const sf = ts.createSourceFile(
    file,
    text,
    ts.ScriptTarget.Latest,
    true,
    file.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const out: Finding[] = [];
  const add = (node: ts.Node, rule: Finding["rule"], value: string) => {
    if (exempt(sf, node)) return;
    const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    out.push({ file, line: line + 1, text: value.trim().slice(0, 80), rule });
  };
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node)) {
      const value = node.getText().replace(/\s+/g, " ").trim();
      if (LETTER.test(value) && !isCode(value)) add(node, "jsx-text", value);
    } else if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateExpression(node)
    ) {
      const value = ts.isTemplateExpression(node)
        ? [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(" ")
        : node.text;
      const attr = attributeName(node);
      if (attr !== undefined) {
        if (USER_ATTRIBUTES.has(attr) && LETTER.test(value) && !isCode(value) && !inCodePosition(node))
          add(node, "attribute", value);
        else if (
          !CODE_ATTRIBUTES.test(attr) &&
          /\p{L}{2,}\s+\p{L}/u.test(value) &&
          !isCode(value) &&
          !inCodePosition(node)
        )
          add(node, "attribute", value);
      } else if (!inCodePosition(node) && /\p{L}{2,}[\s,.!?…]+\p{L}/u.test(value) && !isCode(value)) {
        // Words with a space between them: a sentence or a label, not an identifier or a key.
        add(node, "string", value);
      } else if (
        !inCodePosition(node) &&
        node.parent &&
        (ts.isJsxExpression(node.parent) ||
          ts.isConditionalExpression(node.parent) ||
          ts.isBinaryExpression(node.parent)) &&
        /^\p{Lu}\p{Ll}+/u.test(value) &&
        !isCode(value)
      ) {
        // A capitalised word rendered as a child: {busy ? "Saving" : "Save"}.
        add(node, "string", value);
      }
      if (ts.isTemplateExpression(node)) ts.forEachChild(node, visit);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

export function scanFile(file: string): Finding[] {
  return scanSource(file, readFileSync(file, "utf8"));
}

if (process.argv[1]?.endsWith("scan.ts")) {
  const files = process.argv.slice(2);
  let n = 0;
  for (const f of files) {
    for (const x of scanFile(f)) {
      n++;
      process.stdout.write(`${x.file}:${x.line}  [${x.rule}]  ${x.text}\n`);
    }
  }
  process.stdout.write(`${n} hard-coded string(s)\n`);
  process.exitCode = n ? 1 : 0;
}
