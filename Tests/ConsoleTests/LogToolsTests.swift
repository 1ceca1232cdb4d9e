import CoAP
import Testing
@testable import Console

/// The log pane's tools, driven through ``ConsoleState`` keys and read back from the rendered
/// grid: timestamps, `/` search, the kind filter, pause/follow.
@Suite struct LogToolsTests {
    static func ctIoTState() -> ConsoleState {
        var model = SessionModel()
        _ = Transcripts.feed(Transcripts.ctIoT, to: &model)
        return ConsoleState(model: model)
    }

    static func keys(_ text: String, _ state: inout ConsoleState) {
        for c in text { _ = state.handle(.character(c), now: .zero) }
    }

    static func screen(_ state: ConsoleState, width: Int = 100, height: Int = 30) -> Grid {
        ConsoleScreen.render(state, now: Instant(milliseconds: 10_000), width: width, height: height).grid
    }

    /// The log row holding `text`, if shown.
    static func row(_ grid: Grid, containing text: String) -> Int? {
        (0..<grid.height).first { grid.rowText($0).contains(text) }
    }

    @Test func timestampsCycleClockDeltaElapsed() {
        var state = ConsoleState()
        state.setClockOrigin(((18 * 60 + 40) * 60 + 1) * 1000 + 123)   // 18:40:01.123 at Instant.zero
        state.note("first", now: Instant(milliseconds: 1_000))
        state.note("second", now: Instant(milliseconds: 1_250))
        state.note("third", now: Instant(milliseconds: 62_250))
        var grid = Self.screen(state)
        #expect(grid.rowText(Self.row(grid, containing: "second") ?? -1).contains("18:40:02.373 # second"))
        #expect(grid.rowText(Self.row(grid, containing: "third") ?? -1).contains("18:41:03.373 # third"))
        #expect(grid.rowText(0).contains("AT log · clock"))
        _ = state.handle(.function(6), now: .zero)
        grid = Self.screen(state)
        #expect(grid.rowText(Self.row(grid, containing: "second") ?? -1).contains("+0.250"))
        #expect(grid.rowText(Self.row(grid, containing: "third") ?? -1).contains("+61.000"))
        #expect(grid.rowText(Self.row(grid, containing: "first") ?? -1).contains("+0.000"))
        _ = state.handle(.function(6), now: .zero)
        grid = Self.screen(state)
        #expect(grid.rowText(Self.row(grid, containing: "third") ?? -1).contains("01:02.250"))
        #expect(grid.rowText(0).contains("elapsed"))
        _ = state.handle(.function(6), now: .zero)
        #expect(state.logDisplay.timestamps == .clock)
    }

    @Test func theClockWrapsAtMidnight() {
        var log = SessionLog()
        log.append { LogEntry(sequence: $0, at: Instant(milliseconds: 2_000), kind: .ok, text: "OK") }
        var display = LogDisplay()
        display.clockOrigin = 86_400_000 - 1_000
        #expect(display.timestamp(log, index: 0) == "00:00:01.000")
    }

    @Test func slashSearchesBackHighlightsAndNWalksTheMatches() {
        var state = Self.ctIoTState()
        state.logPageRows = 4
        let adds = state.model.log.entries.filter { $0.text.hasPrefix("AT+QLAADDOBJ") }.map(\.sequence)
        #expect(adds.count == 2)
        // The observe's answer is offered in the line: `/` searches from an empty line only.
        #expect(!state.editor.isEmpty)
        _ = state.handle(.control("u"), now: .zero)
        Self.keys("/qlaaddobj", &state)
        #expect(state.prompt == .search("qlaaddobj"))
        #expect(Self.screen(state).rowText(29).hasPrefix("/qlaaddobj"))
        _ = state.handle(.enter, now: .zero)
        #expect(state.prompt == nil && state.editor.isEmpty)
        #expect(state.logDisplay.currentMatch == adds[1])
        #expect(!state.logView.follow)
        let grid = Self.screen(state)
        let row = Self.row(grid, containing: "AT+QLAADDOBJ=19,1,1,0")
        #expect(row != nil)
        if let row {
            let column = Array(grid.rowText(row)).firstIndex(of: "Q") ?? -1
            #expect(grid.style(row: row, column: column) == .match)
            #expect(grid.style(row: row, column: column - 1) == .command)
        }
        #expect(grid.rowText(0).contains("/qlaaddobj n/N"))
        _ = state.handle(.character("n"), now: .zero)
        #expect(state.logDisplay.currentMatch == adds[0])
        _ = state.handle(.character("n"), now: .zero)
        #expect(state.logDisplay.searchFailed && state.logDisplay.currentMatch == adds[0])
        #expect(Self.screen(state).rowText(0).contains("not found"))
        _ = state.handle(.character("N"), now: .zero)
        #expect(state.logDisplay.currentMatch == adds[1] && !state.logDisplay.searchFailed)
        // Esc drops the search; n is then an ordinary character.
        _ = state.handle(.escape, now: .zero)
        #expect(state.logDisplay.search.isEmpty)
        _ = state.handle(.character("n"), now: .zero)
        #expect(state.editor.text == "n")
    }

    @Test func theFilterKeepsTheCommandAFilteredLineFollowed() {
        var state = Self.ctIoTState()
        _ = state.handle(.function(4), now: .zero)
        #expect(state.prompt == .filter)
        #expect(Self.screen(state).rowText(29).contains("Filter"))
        Self.keys("corn", &state)   // hide commands, OK, results and notes: errors and URCs stay
        _ = state.handle(.enter, now: .zero)
        #expect(state.prompt == nil)
        #expect(state.logDisplay.kinds == [.error, .urc])
        let grid = Self.screen(state)
        let text = grid.text
        #expect(text.contains("AT log · clock · only error urc +ctx · follow"))
        #expect(text.contains("+QLAURC: \"observe\",23618,0,19,0,0"))
        #expect(!text.contains("+CEREG: 0,1"))
        #expect(!text.contains("AT+QLAADDOBJ"), "a command no shown line followed is hidden")
        // AT+QLAREG led to the URC: it stays, dim and marked as context.
        if let row = Self.row(grid, containing: "AT+QLAREG") {
            #expect(grid.rowText(row).contains("· AT+QLAREG"))
            #expect(grid.style(row: row, column: Array(grid.rowText(row)).firstIndex(of: "A") ?? 0) == .dim)
        } else {
            Issue.record("the context command is missing")
        }
        // Hiding everything shows everything again; `a` clears the filter.
        _ = state.handle(.function(4), now: .zero)
        Self.keys("ae", &state)
        #expect(state.logDisplay.filterSummary == "hide error")
        Self.keys("a", &state)
        #expect(!state.logDisplay.isFiltering)
        for c in "coerun" { state.logDisplay.toggle(LogDisplay.filterKeys.first { $0.key == c }!.kind) }
        #expect(!state.logDisplay.isFiltering, "hiding every kind shows them all")
    }

    @Test func pagingAFilteredLogMovesByShownLines() {
        var state = ConsoleState()
        for i in 0..<50 {
            state.note("note \(i)", now: Instant(milliseconds: Int64(i)))
            state.received(Array("\r\n+QLAURC: \"ping\",\(i)\r\n".utf8), now: Instant(milliseconds: Int64(i)))
        }
        state.logPageRows = 6
        _ = state.handle(.function(4), now: .zero)
        Self.keys("n", &state)
        _ = state.handle(.escape, now: .zero)
        _ = state.handle(.pageUp, now: .zero)
        let grid = Self.screen(state, width: 100, height: 30)
        // Five shown (URC) lines back from the newest: the bottom is ping 44.
        #expect(grid.text.contains("\"ping\",44"))
        #expect(!grid.text.contains("\"ping\",45"))
        #expect(!grid.text.contains("# note"))
        _ = state.handle(.pageDown, now: .zero)
        #expect(state.logView.follow)
    }

    @Test func f7PausesAndCountsNewLinesThenFollows() {
        var state = Self.ctIoTState()
        let bottom = state.model.log.last?.sequence
        _ = state.handle(.function(7), now: .zero)
        #expect(!state.logView.follow)
        for i in 0..<3 { state.received(Array("\r\n+QLAURC: \"ping\",\(i)\r\n".utf8), now: Instant(milliseconds: 9_000)) }
        #expect(state.logView.bottomSequence(in: state.model.log) == bottom)
        let grid = Self.screen(state)
        #expect(grid.rowText(0).contains("paused · 3 new · End follows"))
        #expect(!grid.text.contains("\"ping\""))
        _ = state.handle(.function(7), now: .zero)
        #expect(state.logView.follow)
        #expect(Self.screen(state).text.contains("\"ping\",2"))
    }

    @Test func theCapBoundsTheLogAndTheConsoleTakesIt() {
        var state = ConsoleState(model: SessionModel(logCapacity: 100))
        for i in 0..<10_000 { state.note("line \(i)", now: Instant(milliseconds: Int64(i))) }
        #expect(state.model.log.count == 100)
        #expect(state.model.log.droppedCount == 9_900)
        #expect(state.model.log[0].text == "line 9900")
        _ = state.handle(.home, now: .zero)
        #expect(Self.screen(state).text.contains("line 9900"))
    }
}

@Suite struct KeyHelpTests {
    @Test func theKeyPageFitsEightyByTwentyFourAndNamesTheLogKeys() {
        var state = ConsoleState()
        _ = state.handle(.function(1), now: .zero)
        let text = ConsoleScreen.render(state, now: .zero, width: 80, height: 24).grid.text
        for needle in ["Ctrl-R", "search the log", "F4", "F5, Ctrl-S", "F6", "F7", "F10, Ctrl-C  quit"] {
            #expect(text.contains(needle), "\(needle)")
        }
    }
}
