import CoAP
import Testing
@testable import Console

/// Ctrl-R through the input history, as a shell does it.
@Suite struct HistorySearchTests {
    static let history = ["AT+CEREG?", "AT+QLAREG", "AT+CSQ", "AT+QLASTATUS?"]

    static func type(_ text: String, _ state: inout ConsoleState) {
        for c in text { _ = state.handle(.character(c), now: .zero) }
    }

    @Test func ctrlRFindsNewestFirstThenOlderAndEscGivesTheLineBack() {
        var state = ConsoleState(history: Self.history)
        Self.type("AT+", &state)
        _ = state.handle(.control("r"), now: .zero)
        Self.type("QLA", &state)
        #expect(state.editor.text == "AT+QLASTATUS?")
        let bar = ConsoleScreen.render(state, now: .zero, width: 100, height: 30).grid.rowText(29)
        #expect(bar.hasPrefix("(reverse-i-search)`QLA'"))
        _ = state.handle(.control("r"), now: .zero)
        #expect(state.editor.text == "AT+QLAREG")
        _ = state.handle(.control("r"), now: .zero)
        #expect(state.editor.text == "AT+QLAREG")
        if case .history(let search) = state.prompt { #expect(search.failed) } else { Issue.record("prompt closed") }
        #expect(ConsoleScreen.render(state, now: .zero, width: 100, height: 30).grid.rowText(29).hasPrefix("(failing"))
        _ = state.handle(.escape, now: .zero)
        #expect(state.prompt == nil)
        #expect(state.editor.text == "AT+")
    }

    @Test func typingNarrowsAndBackspaceWidens() {
        var search = HistorySearch(original: "")
        for c in "AT+C" { search.type(c, history: Self.history) }
        #expect(search.line(in: Self.history) == "AT+CSQ")
        search.type("E", history: Self.history)
        #expect(search.line(in: Self.history) == "AT+CEREG?")
        search.deleteBackward(history: Self.history)
        #expect(search.line(in: Self.history) == "AT+CSQ")
        search.type("x", history: Self.history)
        #expect(search.failed && search.line(in: Self.history) == "AT+CSQ")
        #expect(HistorySearch(original: "").line(in: []) == nil)
    }

    @Test func enterSendsTheMatchAndAnArrowKeepsItToEdit() {
        var state = ConsoleState(history: Self.history)
        _ = state.handle(.control("r"), now: .zero)
        Self.type("CSQ", &state)
        #expect(state.handle(.enter, now: .zero) == [.send("AT+CSQ")])
        #expect(state.prompt == nil && state.editor.isEmpty)
        _ = state.handle(.control("r"), now: .zero)
        Self.type("CEREG", &state)
        #expect(state.handle(.left, now: .zero).isEmpty)
        #expect(state.prompt == nil && state.editor.text == "AT+CEREG?" && state.editor.cursor == 8)
    }
}
