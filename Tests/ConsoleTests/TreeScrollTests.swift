import CoAP
import Testing
@testable import Console

@Suite struct TreeViewTests {
    @Test func everythingFitsShowsEverythingWithoutMarkers() {
        let window = TreeView().window(count: 4, rows: 4)
        #expect(window.lines == 0..<4 && window.above == 0 && window.below == 0)
    }

    @Test func theDefaultShowsTheTopAndCountsTheRest() {
        let window = TreeView().window(count: 10, rows: 4)
        #expect(window.lines == 0..<3 && window.below == 7)
    }

    @Test func pagingWalksDownToTheEndAndBackUpWithoutLosingALine() {
        var view = TreeView()
        var seen = Set<Int>()
        var windows: [Range<Int>] = []
        for _ in 0..<10 {
            let window = view.window(count: 20, rows: 6)
            seen.formUnion(window.lines)
            windows.append(window.lines)
            // Rows are spent on shown lines plus one row per marker, never more than the pane has.
            #expect(window.lines.count + (window.above > 0 ? 1 : 0) + (window.below > 0 ? 1 : 0) <= 6)
            #expect(window.above == window.lines.lowerBound && window.below == 20 - window.lines.upperBound)
            view.page(1, count: 20, rows: 6)
        }
        #expect(seen == Set(0..<20), "every line reachable: \(windows)")
        #expect(windows.last?.upperBound == 20)
        for _ in 0..<10 { view.page(-1, count: 20, rows: 6) }
        #expect(view.window(count: 20, rows: 6).lines == 0..<5)
    }

    @Test func theDefaultRevealsAPendingLineAndAHeldViewDoesNot() {
        var view = TreeView()
        let revealed = view.window(count: 30, rows: 6, reveal: 17)
        #expect(revealed.lines.contains(17) && revealed.above == 17)
        // Near the top it needs no move.
        #expect(view.window(count: 30, rows: 6, reveal: 2).lines == 0..<5)
        view.home()
        #expect(view.window(count: 30, rows: 6, reveal: 17).lines == 0..<5)
        view.release()
        #expect(view.window(count: 30, rows: 6, reveal: 17).lines.contains(17))
    }

    @Test func tinyPanesAndOddCountsNeverTrap() {
        var view = TreeView()
        for count in 0..<12 {
            for rows in 0..<6 {
                for page in [-3, -1, 1, 3, 50] {
                    view.page(page, count: count, rows: rows, reveal: count / 2)
                    let window = view.window(count: count, rows: rows, reveal: count / 2)
                    #expect(window.lines.lowerBound >= 0 && window.lines.upperBound <= count)
                    #expect(window.lines.count <= rows)
                }
            }
        }
    }
}

@Suite struct TreeScrollTests {
    /// A console at 80×24 (a 4-row tree) that has added /19/0..3/0 (the module's
    /// most): six tree lines with the built-in one, more than fit.
    func crowdedState() -> ConsoleState {
        var state = ConsoleState()
        state.fit(width: 80, height: 24)
        var now = Instant(milliseconds: 0)
        for instance in 0..<4 {
            state.model.sent("AT+QLAADDOBJ=19,\(instance),1,0", at: now)
            state.received(Array("\r\nOK\r\n".utf8), now: now)
            now = now + 10
        }
        return state
    }

    func tree(_ state: ConsoleState) -> [String] {
        let grid = ConsoleScreen.render(state, now: .zero, width: 80, height: 24).grid
        let rect = ConsoleLayout(width: 80, height: 24).tree
        return (rect.row..<(rect.row + rect.height)).map { row in
            String(grid.rowText(row).dropFirst(rect.column))
        }
    }

    @Test func f8MovesTheTreeInsteadOfTheLogAndF8AgainGivesPgUpBack() {
        var state = crowdedState()
        #expect(state.treeRows == 4)
        let before = tree(state)
        #expect(before.contains { $0.contains("/19/0/0") })
        #expect(before.contains { $0.contains("more (F8 scrolls)") }, "\(before)")
        #expect(!before.contains { $0.contains("/19/3/0") })

        _ = state.handle(.function(8), now: .zero)
        #expect(tree(state)[0].contains("Objects · PgUp/PgDn · F8 log"))
        for _ in 0..<5 { _ = state.handle(.pageDown, now: .zero) }
        let end = tree(state)
        #expect(end.contains { $0.contains("/19/3/0") }, "\(end)")
        #expect(end.contains { $0.contains("above") })
        #expect(!end.contains { $0.contains("/19/0/0") })
        #expect(state.logView.follow, "the log did not move")

        _ = state.handle(.home, now: .zero)
        #expect(tree(state).contains { $0.contains("/19/0/0") })

        _ = state.handle(.function(8), now: .zero)
        _ = state.handle(.pageUp, now: .zero)
        #expect(!state.logView.follow, "PgUp is the log's again")
        #expect(tree(state)[0].contains("Objects") && !tree(state)[0].contains("F8 log"))
    }

    @Test func aPendingRequestBelowTheFoldIsBroughtIntoView() {
        var state = crowdedState()
        state.received(Array("\r\n+QLAURC: \"read\",4711,19,3,0\r\n".utf8), now: Instant(milliseconds: 100))
        let shown = tree(state)
        #expect(shown.contains { $0.contains("/19/3/0 req") }, "\(shown)")
    }

    @Test func theHelpBarFitsEightyColumnsAndShowsF8() {
        let grid = ConsoleScreen.render(ConsoleState(), now: .zero, width: 80, height: 24).grid
        let bar = grid.rowText(23)
        #expect(bar.contains("F8 Tree") && bar.contains("F10 Quit"), "\(bar)")
        #expect(CharacterWidth.columns(bar) <= 80)
        let wide = ConsoleScreen.render(ConsoleState(), now: .zero, width: 120, height: 30).grid.rowText(29)
        #expect(wide.contains("Tab Complete") && wide.contains("F8 Tree"), "\(wide)")
    }
}
