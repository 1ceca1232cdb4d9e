import Testing
@testable import Console

@Suite struct LineEditorTests {
    func type(_ text: String, into editor: inout LineEditor) {
        for c in text { editor.handle(.character(c)) }
    }

    @Test func insertDeleteAndMove() {
        var editor = LineEditor()
        type("AT+QLREG", into: &editor)
        for _ in 0..<3 { editor.handle(.left) }
        editor.handle(.character("A"))
        #expect(editor.text == "AT+QLAREG" && editor.cursor == 6)
        editor.handle(.home)
        editor.handle(.delete)
        #expect(editor.text == "T+QLAREG" && editor.cursor == 0)
        editor.handle(.backspace)
        #expect(editor.text == "T+QLAREG")
        editor.handle(.character("A"))
        editor.handle(.end)
        editor.handle(.backspace)
        #expect(editor.text == "AT+QLARE" && editor.cursor == 8)
        editor.handle(.right)
        #expect(editor.cursor == 8)
        editor.handle(.control("a"))
        editor.handle(.control("k"))
        #expect(editor.text.isEmpty)
    }

    @Test func wideCharactersAreOneCharacterEach() {
        var editor = LineEditor()
        type("AT+X=\"中文\"", into: &editor)
        editor.handle(.left)
        editor.handle(.backspace)
        #expect(editor.text == "AT+X=\"中\"")
    }

    @Test func historyWalksAndGivesBackTheHalfTypedLine() {
        var editor = LineEditor()
        type("AT", into: &editor)
        #expect(editor.submit() == "AT")
        type("ATI", into: &editor)
        _ = editor.submit()
        type("ATI", into: &editor)
        _ = editor.submit()
        #expect(editor.history == ["AT", "ATI"])
        _ = editor.submit()
        #expect(editor.history == ["AT", "ATI"])
        type("AT+C", into: &editor)
        editor.handle(.up)
        #expect(editor.text == "ATI")
        editor.handle(.up)
        editor.handle(.up)
        #expect(editor.text == "AT")
        editor.handle(.down)
        #expect(editor.text == "ATI")
        editor.handle(.down)
        #expect(editor.text == "AT+C" && editor.cursor == 4)
        editor.handle(.down)
        #expect(editor.text == "AT+C")
    }

    @Test func historyIsCapped() {
        var editor = LineEditor(historyLimit: 3)
        for n in 0..<5 {
            type("AT\(n)", into: &editor)
            _ = editor.submit()
        }
        #expect(editor.history == ["AT2", "AT3", "AT4"])
    }

    @Test func enterSendsTheLineAndF10Quits() {
        var state = ConsoleState()
        for c in "AT+QLASTATUS?" { _ = state.handle(.character(c), now: .zero) }
        #expect(state.handle(.enter, now: .zero) == [.send("AT+QLASTATUS?")])
        #expect(state.editor.isEmpty)
        #expect(state.model.log.last?.text == "AT+QLASTATUS?")
        #expect(state.handle(.enter, now: .zero).isEmpty)
        #expect(state.handle(.function(10), now: .zero) == [.quit])
        #expect(state.handle(.control("c"), now: .zero) == [.quit])
        #expect(Key.fromControlByte(3) == .control("c"))
    }

    @Test func tabCompletesCommandsAndKeys() {
        var state = ConsoleState()
        for c in "at+qlaa" { _ = state.handle(.character(c), now: .zero) }
        _ = state.handle(.tab, now: .zero)
        #expect(state.editor.text == "AT+QLAADDOBJ")
        state.editor.setText("AT+QLA")
        _ = state.handle(.tab, now: .zero)
        #expect(state.editor.text == "AT+QLA")
        #expect(state.completionCandidates.contains("AT+QLAREG") && state.completionCandidates.contains("AT+QLACFG"))
        state.editor.setText("AT+QLACFG=\"pl")
        _ = state.handle(.tab, now: .zero)
        #expect(state.editor.text == "AT+QLACFG=\"platform\"")
        state.editor.setText("AT+QLAOB")
        _ = state.handle(.tab, now: .zero)
        #expect(state.editor.text == "AT+QLAOBSRSP")
    }

    @Test func anArrivingRequestFillsAnEmptyLineOnly() {
        var state = ConsoleState()
        state.received(Array("\r\n+QLAURC: \"execute\",9,3,0,4\r\n".utf8), now: .zero)
        #expect(state.editor.text == "AT+QLAEXERSP=9,2")
        _ = state.handle(.control("u"), now: .zero)
        for c in "ATI" { _ = state.handle(.character(c), now: .zero) }
        state.received(Array("\r\n+QLAURC: \"write\",10,3,0,4,1,1,\"x\",0\r\n".utf8), now: .zero)
        #expect(state.editor.text == "ATI")
        _ = state.handle(.control("u"), now: .zero)
        _ = state.handle(.function(2), now: .zero)
        #expect(state.editor.text == "AT+QLAWRRSP=10,2")
    }

    @Test func pagingTheLogHoldsAndFollows() {
        var state = ConsoleState()
        for n in 0..<50 { state.received(Array("\r\n+CSQ: \(n),0\r\n".utf8), now: .zero) }
        state.logPageRows = 10
        #expect(state.logView.bottomSequence(in: state.model.log) == 49)
        _ = state.handle(.pageUp, now: .zero)
        #expect(state.logView.bottomSequence(in: state.model.log) == 40 && !state.logView.follow)
        state.received(Array("\r\n+CSQ: 99,0\r\n".utf8), now: .zero)
        #expect(state.logView.bottomSequence(in: state.model.log) == 40)
        _ = state.handle(.home, now: .zero)
        #expect(state.logView.bottomSequence(in: state.model.log) == 9)
        _ = state.handle(.pageDown, now: .zero)
        #expect(state.logView.bottomSequence(in: state.model.log) == 18)
        _ = state.handle(.end, now: .zero)
        #expect(state.logView.follow && state.logView.bottomSequence(in: state.model.log) == 50)
    }
}
