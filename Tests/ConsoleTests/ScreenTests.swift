import CoAP
import Testing
@testable import Console

@Suite struct ScreenTests {
    func ctIoTState() -> ConsoleState {
        var state = ConsoleState()
        var model = state.model
        Transcripts.feed(Transcripts.ctIoT, to: &model)
        state = ConsoleState(model: model)
        return state
    }

    @Test func eightyByTwentyFourShowsTheFourPanes() {
        var state = ctIoTState()
        state.received(Array("\r\n+QLASTATUS: 2\r\n".utf8), now: Instant(milliseconds: 5_000))
        let frame = ConsoleScreen.render(state, now: Instant(milliseconds: 5_000), width: 80, height: 24)
        let text = frame.grid.text
        print(text)
        for title in ["AT log", "LwM2M status", "Objects", "AT command"] { #expect(text.contains(title), "\(title)") }
        #expect(text.contains("registered (2)"))
        #expect(text.contains("180.101.147.115:5683"))
        #expect(text.contains("/19/0/0 req"))
        #expect(text.contains("F10 Quit"))
        #expect(frame.grid.height == 24 && frame.grid.text.split(separator: "\n", omittingEmptySubsequences: false).count == 24)
    }

    @Test func theTreeShowsEachValueWithItsType() {
        var model = SessionModel()
        let t = Transcripts.feed(Transcripts.ctIoT, to: &model)
        Transcripts.feed(Transcripts.ctIoTAnswerAndNotify, to: &model, from: t)
        let text = ConsoleScreen.render(ConsoleState(model: model), now: t, width: 200, height: 60).grid.text
        #expect(text.contains("/19/0/0 obs opaque = 0x020001000400023438"), "\(text)")
    }

    @Test func twoHundredBySixtyShowsEverything() {
        let state = ctIoTState()
        let frame = ConsoleScreen.render(state, now: Instant(milliseconds: 5_000), width: 200, height: 60)
        let text = frame.grid.text
        print(text)
        for title in ["AT log", "LwM2M status", "Objects", "AT command"] { #expect(text.contains(title), "\(title)") }
        #expect(text.contains("AT+QLACONFIG=0,\"180.101.147.115\",5683,\"867724030023557\",300,3"))
        #expect(text.contains("built-in /0 /1 /3 /4 /5"))
    }
}

@Suite struct ScreenOverlayTests {
    @Test func f1ShowsTheReferenceOfTheCommandBeingTypedAndEscCloses() {
        var state = ConsoleState()
        for c in "AT+QLACFG=" { _ = state.handle(.character(c), now: .zero) }
        _ = state.handle(.function(1), now: .zero)
        let text = ConsoleScreen.render(state, now: .zero, width: 100, height: 30).grid.text
        #expect(text.contains("Reference · AT+QLACFG"))
        #expect(text.contains("配置可选注册参数"))
        _ = state.handle(.escape, now: .zero)
        #expect(!ConsoleScreen.render(state, now: .zero, width: 100, height: 30).grid.text.contains("Reference"))
        _ = state.handle(.control("u"), now: .zero)
        _ = state.handle(.function(1), now: .zero)
        #expect(ConsoleScreen.render(state, now: .zero, width: 100, height: 30).grid.text.contains("F10, Ctrl-C  quit"))
    }

    @Test func aTinyTerminalSaysSoAndLayoutsNeverOverlap() {
        let text = ConsoleScreen.render(ConsoleState(), now: .zero, width: 40, height: 10).grid.text
        #expect(text.contains("too small"))
        for (w, h) in [(60, 16), (80, 24), (100, 30), (132, 43), (200, 60), (300, 100)] {
            let l = ConsoleLayout(width: w, height: h)
            #expect(!l.tooSmall)
            #expect(l.log.column + l.log.width == l.status.column && l.status.row + l.status.height == l.tree.row)
            #expect(l.tree.row + l.tree.height == l.input.row && l.input.row + l.input.height == l.helpRow)
            #expect(l.status.column + l.status.width == w && l.tree.height >= 4, "\(w)x\(h)")
        }
    }

    @Test func aRejectedLineIsMarkedBeforeSending() {
        var state = ConsoleState()
        for c in "AT+QLACFG=\"retransmit\",30,5" { _ = state.handle(.character(c), now: .zero) }
        let grid = ConsoleScreen.render(state, now: .zero, width: 80, height: 24).grid
        #expect(grid.text.contains("✗ AT+QLACFG: <ACK_timeout> (parameter 2) 30 is outside 2-20"))
        let layout = ConsoleLayout(width: 80, height: 24)
        #expect(grid.rowText(layout.input.row + 2).hasPrefix("│✗"))
        #expect(grid.style(row: layout.input.row + 2, column: 1) == .warning)
    }
}
