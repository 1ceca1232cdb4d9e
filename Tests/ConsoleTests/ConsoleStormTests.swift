import ATProtocol
import CoAP
import Testing
@testable import Console

/// The console without a terminal under a storm: 12,000 random steps of keys (every kind, wide
/// and control characters, F keys, prompts opened and left open) mixed with random bytes from
/// the module (garbage, cut lines, URCs and answers with random numbers) and frames at random
/// sizes, tiny ones included. Nothing traps, every frame fills its size exactly, the cursor stays on
/// the screen, and the log stays within its cap.
@Suite struct ConsoleStormTests {
    static let keys: [Key] = [
        .enter, .backspace, .delete, .left, .right, .home, .end, .up, .down, .pageUp, .pageDown, .tab, .escape,
        .resize, .control("a"), .control("e"), .control("u"), .control("k"), .control("r"), .control("g"), .control("s"),
    ] + (1...12).filter { $0 != 10 }.map { Key.function($0) }

    static let moduleLines = [
        "OK", "ERROR", "+QLAREG: 0", "+QLASTATUS: 2", #"+QLAURC: "observe",{n},0,19,0,0"#, #"+QLAURC: "read",{n},19,{n},0"#,
        #"+QLAURC: "write",{n},19,1,0,2,4,"0a0b",0"#, #"+QLAURC: "execute",{n},3,0,4"#, #"+QLAURC: "report_ack",0,{n}"#,
        "+QLAUPDATE: 0", "+QLACONFIG: 0,\"1.2.3.4\",{n},\"ep\",{n},0,\"id\",\"psk\",0", #"+QLACFG: "retransmit",{n},{n}"#,
        "+QLAADDOBJ: {n},{n},1,0", "+CME ERROR: {n}", #"+QLAURC: "lw_event",{n}"#, "RDY", "+CPIN: READY",
    ]

    func randomText(_ rng: inout SplitMix64) -> String {
        let pieces = ["AT+QLA", "CFG=", "\"", ",", "中文", "é", "\t", "\u{7}", "?", "/", ":", "read 1 /19/0/0", "9", " ", "n", "N", "a"]
        return (0..<Int.random(in: 1...4, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
    }

    func moduleBytes(_ rng: inout SplitMix64) -> [UInt8] {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: return (0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        default:
            var line = Self.moduleLines.randomElement(using: &rng)!
            while let range = line.range(of: "{n}") {
                line.replaceSubrange(range, with: String(Int.random(in: -3...70_000, using: &rng)))
            }
            var bytes = Array(("\r\n" + line + "\r\n").utf8)
            // Sometimes cut: the rest comes (or not) with later bytes.
            if Bool.random(using: &rng) { bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &rng))) }
            return bytes
        }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func aStormNeverTrapsAndEveryFrameFits(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var state = ConsoleState(model: SessionModel(logCapacity: 500))
        state.playsPlatform = Bool.random(using: &rng)
        var now = Instant(milliseconds: 0)
        var quits = 0
        for step in 0..<4_000 {
            now = now + Int64.random(in: 0...300, using: &rng)
            switch Int.random(in: 0..<10, using: &rng) {
            case 0...3:
                for c in randomText(&rng) { _ = state.handle(.character(c), now: now) }
            case 4...6:
                let actions = state.handle(Self.keys.randomElement(using: &rng)!, now: now)
                quits += actions.filter { $0 == .quit }.count
            default:
                state.received(moduleBytes(&rng), now: now)
            }
            if step % 7 == 0 {
                let width = Int.random(in: 1...220, using: &rng), height = Int.random(in: 1...70, using: &rng)
                state.fit(width: width, height: height)
                let frame = ConsoleScreen.render(state, now: now, width: width, height: height)
                #expect(frame.grid.width == width && frame.grid.height == height)
                if let cursor = frame.cursor {
                    #expect(cursor.row >= 0 && cursor.row < height && cursor.column >= 0 && cursor.column <= width,
                            "cursor \(cursor) at \(width)x\(height), seed \(seed) step \(step)")
                }
            }
            #expect(state.model.log.count <= 500)
        }
        #expect(quits == 0, "no quit key is in the storm")
        #expect(state.model.log.count > 0)
    }
}
