import ATProtocol
import CoAP
import Testing
@testable import ModuleCore

/// 100,000 random lines at the module itself: random bytes, noise in the AT alphabet, the
/// catalogue's commands with random parameters, and the same mutated. The module never traps,
/// answers every complete line with exactly one final result (OK or ERROR) while it is on, and
/// its saved configuration stays one it would accept.
@Suite struct RandomLineStormTests {
    static let alphabet = Array("AT+QLA=?,\"0123456789abcdefABCDEF-_ ;:/.{}".utf8)

    static func randomLine(_ rng: inout SplitMix64, names: [String]) -> [UInt8] {
        func byte() -> UInt8 { UInt8.random(in: 0...255, using: &rng) }
        func field() -> String {
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: String(Int.random(in: -5...70_000, using: &rng))
            case 1: "\"\(String(Int.random(in: 0...9_999_999, using: &rng), radix: 16))\""
            case 2: "\"" + String(repeating: "a", count: Int.random(in: 0...40, using: &rng)) + "\""
            case 3: ""
            case 4: "\"retransmit\""
            default: String(Int.random(in: 0...20, using: &rng))
            }
        }
        switch Int.random(in: 0..<4, using: &rng) {
        case 0:
            return (0..<Int.random(in: 0...80, using: &rng)).map { _ in byte() }
        case 1:
            return (0..<Int.random(in: 0...60, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
        default:
            let name = names.randomElement(using: &rng)!
            var text: String
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: text = "\(name)=?"
            case 1: text = "\(name)?"
            case 2: text = name
            default: text = "\(name)=" + (0..<Int.random(in: 1...9, using: &rng)).map { _ in field() }.joined(separator: ",")
            }
            var bytes = Array(text.utf8)
            if Int.random(in: 0..<3, using: &rng) == 0, !bytes.isEmpty {
                // Mutate: flip, drop or insert a byte.
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[i] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
                case 1: bytes.remove(at: i)
                default: bytes.insert(byte(), at: i)
                }
            }
            return bytes
        }
    }

    @Test func hundredThousandRandomLinesNeverBreakTheModule() throws {
        var bench = ModuleBench()
        var rng = SplitMix64(seed: 260)
        let names = CommandCatalogue.bc260y.commands.map(\.name).filter { $0 != "AT+QRST" && $0 != "AT+QSCLK" }
        #expect(names.count > 20)
        var answered = 0, finals = 0, errors = 0
        for n in 0..<100_000 {
            var line = Self.randomLine(&rng, names: names)
            // Terminators only end lines; strip them from the body so one input is one line.
            line.removeAll { $0 == 0x0D || $0 == 0x0A }
            guard case .on = bench.module.power else {
                Issue.record("module left the on state at line \(n)")
                break
            }
            let out = bench.send(bytes: line + [0x0D])
            let results = out.filter { $0 == "OK" || $0 == "ERROR" }
            // An empty line (after stripping) is ignored by the module, as by the real one.
            if line.allSatisfy({ $0 == 0x20 }) { continue }
            answered += 1
            finals += results.count
            errors += results.filter { $0 == "ERROR" }.count
            if results.count != 1 {
                Issue.record("line \(n) \(line) got \(results.count) final results: \(out)")
                break
            }
            // Session requests pile up unanswered in the fake session; time moves on too.
            if n % 1000 == 0 { bench.advance(toMilliseconds: bench.now.milliseconds + 1_000) }
        }
        #expect(finals == answered)
        #expect(errors > 50_000 && errors < answered)  // mostly refused, but not all
        #expect(bench.type("AT") == ["OK"])
        // Whatever was saved is a configuration the module accepts back at power-up.
        if let saved = bench.savedState {
            var again = ModuleBench(state: saved)
            #expect(again.type("AT+QLACFG?").last == "OK")
        }
    }
}
