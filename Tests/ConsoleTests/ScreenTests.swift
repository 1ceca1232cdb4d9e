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
