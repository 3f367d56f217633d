import { removeWords, splitWords, unquote } from "../../languages/shell-words";

describe("splitWords", () => {
    test.each([
        { name: "plain words and runs of whitespace", input: " -Xmx1g \t-Xms1g ", expected: ["-Xmx1g", "-Xms1g"] },
        { name: "a double-quoted path with spaces is one word", input: `-Xmx1g "-javaagent:/opt/my agents/a.jar" -X`, expected: ["-Xmx1g", `"-javaagent:/opt/my agents/a.jar"`, "-X"] },
        { name: "quotes inside a word", input: `-javaagent:'/opt/a b/x.jar'=k='v w' z`, expected: [`-javaagent:'/opt/a b/x.jar'=k='v w'`, "z"] },
        { name: "an escaped space", input: "a\\ b c", expected: ["a\\ b", "c"] },
        { name: "an unclosed quote runs to the end", input: `a "b c`, expected: ["a", `"b c`] },
        { name: "empty", input: "", expected: [] },
    ])("$name", ({ input, expected }) => {
        expect(splitWords(input).map(word => word.raw)).toEqual(expected);
    });
});

describe("unquote", () => {
    test.each([
        { name: "mixed quoting the way sh reads it", input: `'/a b'/c"d \\" e"\\ f`, expected: `/a b/cd " e f` },
        { name: "nothing to unquote", input: "-Xmx1g", expected: "-Xmx1g" },
    ])("$name", ({ input, expected }) => {
        expect(unquote(input)).toBe(expected);
    });
});

describe("removeWords", () => {
    test.each([
        { name: "a middle word takes the whitespace before it", input: "a  b\tc", dropped: [false, true, false], expected: "a\tc" },
        { name: "the first word: leading whitespace stays, the next word's gap goes", input: " a b c", dropped: [true, false, false], expected: " b c" },
        { name: "the last word: trailing whitespace stays", input: "a b  ", dropped: [false, true], expected: "a  " },
        { name: "every word", input: " a b ", dropped: [true, true], expected: "  " },
        { name: "nothing dropped returns the very string", input: "a   b", dropped: [false, false], expected: "a   b" },
    ])("$name", ({ input, dropped, expected }) => {
        expect(removeWords(input, dropped)).toBe(expected);
    });
});
