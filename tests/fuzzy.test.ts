import { describe, expect, it } from "vitest";
import { fuzzyFilter, fuzzyScore } from "@/lib/fuzzy";

describe("fuzzyScore", () => {
  it("matches a subsequence in order, case- and accent-insensitively", () => {
    expect(fuzzyScore("dsgn", "design-reviews")).not.toBeNull();
    expect(fuzzyScore("DSGN", "Design")).not.toBeNull();
    expect(fuzzyScore("zoe", "Zoë Martin")).not.toBeNull();
    expect(fuzzyScore("ngis", "design")).toBeNull(); // out of order
    expect(fuzzyScore("x", "design")).toBeNull();
  });

  it("never trades a needed character for a later word start (a subsequence always matches)", () => {
    // The "s" of "design" must not jump to the "-s" of "-so0wa", or the "g" and "n" are lost.
    expect(fuzzyScore("dsgnrvso", "design-reviews-so0wa")).not.toBeNull();
    expect(fuzzyScore("ab", "a-xb-b")).not.toBeNull();
    for (const [q, t] of [
      ["dsgn", "design-s"],
      ["rvw", "reviews-r-v"],
      ["bcn", "beacon-c-b"],
    ] as const)
      expect(fuzzyScore(q, t)).not.toBeNull();
  });

  it("an empty query matches everything equally", () => {
    expect(fuzzyScore("", "anything")).toBe(0);
    expect(fuzzyScore("  ", "anything")).toBe(0);
  });

  it("prefers exact, then prefix, then word starts, then scattered letters", () => {
    const exact = fuzzyScore("general", "general") as number;
    const prefix = fuzzyScore("gen", "general") as number;
    const word = fuzzyScore("rev", "design-reviews") as number;
    const scattered = fuzzyScore("rev", "her velvet") as number;
    expect(exact).toBeGreaterThan(fuzzyScore("general", "general-chat") as number);
    expect(prefix).toBeGreaterThan(fuzzyScore("gen", "regenerate") as number);
    expect(word).toBeGreaterThan(scattered);
  });

  it("jumps to a word start when the earlier letter is inside a word", () => {
    // "dr" = "Design Reviews" initials beat "dr" scattered inside one word.
    const initials = fuzzyScore("dr", "design reviews") as number;
    const inside = fuzzyScore("dr", "dinner") as number;
    expect(initials).toBeGreaterThan(inside);
  });
});

describe("fuzzyFilter", () => {
  const rooms = ["random", "design-reviews", "dev-ops", "general", "docs"];
  it("drops non-matches and orders best first", () => {
    expect(fuzzyFilter("dr", rooms, (r) => r)).toEqual(["design-reviews"]);
    expect(fuzzyFilter("d", rooms, (r) => r).slice(0, 3)).toEqual(
      ["dev-ops", "docs", "design-reviews"].sort(
        (a, b) => (fuzzyScore("d", b) as number) - (fuzzyScore("d", a) as number),
      ),
    );
  });
  it("keeps the input order for an empty query (recent rooms first)", () => {
    expect(fuzzyFilter("", rooms, (r) => r)).toEqual(rooms);
  });
});
