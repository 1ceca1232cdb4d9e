import Testing
@testable import Console

@Suite struct GridTests {
    @Test func wideCharactersTakeTwoCellsAndAreClippedWhole() {
        var grid = Grid(width: 10, height: 2)
        #expect(grid.put("中文AB", row: 0, column: 0) == 6)
        #expect(grid.rowText(0) == "中文AB")
        #expect(grid.cell(row: 0, column: 1)?.character == nil)
        // Three columns left: the second wide character does not fit and leaves a space.
        #expect(grid.put("中文", row: 1, column: 7) == 3)
        #expect(grid.rowText(1) == String(repeating: " ", count: 7) + "中")
        // Overwriting half of a wide character blanks the other half.
        grid.put("x", row: 0, column: 1)
        #expect(grid.rowText(0) == " x文AB")
    }

    @Test func writesOutsideAreClippedAndControlsShown() {
        var grid = Grid(width: 4, height: 1)
        grid.put("abcdef", row: 0, column: 2)
        grid.put("zz", row: 5, column: 0)
        grid.put("q", row: 0, column: -1)
        #expect(grid.text == "  ab")
        grid.put("\u{1B}[", row: 0, column: 0, style: .error)
        #expect(grid.rowText(0) == "·[ab")
        #expect(grid.style(row: 0, column: 0) == .error)
        #expect(grid.runs(row: 0).map(\.style) == [.error, .normal])
    }

    @Test func frameAndTitle() {
        var grid = Grid(width: 12, height: 3)
        grid.frame(Rect(row: 0, column: 0, width: 12, height: 3), title: "Log")
        #expect(grid.text == "┌─ Log ────┐\n│          │\n└──────────┘")
    }

    @Test func widthsAgreeWithOrWithoutAUTF8Locale() {
        #expect(CharacterWidth.columns("A") == 1)
        #expect(CharacterWidth.columns("中") == 2)
        #expect(CharacterWidth.columns("服务器") == 6)
        #expect(CharacterWidth.columns("e\u{301}") == 1)
    }

    @Test func rowMatchesTellsTheRowsADriverCanSkip() {
        var a = Grid(width: 10, height: 3)
        a.put("AT+QLAREG", row: 1, column: 0)
        var b = a
        #expect((0..<3).allSatisfy { a.rowMatches(b, row: $0) })
        b.put("x", row: 2, column: 9)
        #expect(a.rowMatches(b, row: 1) && !a.rowMatches(b, row: 2))
        b = a
        b.put("AT+QLAREG", row: 1, column: 0, style: .command)
        #expect(!a.rowMatches(b, row: 1), "a style change is a change")
        #expect(!a.rowMatches(Grid(width: 11, height: 3), row: 0) && !a.rowMatches(a, row: 3))
    }
}
