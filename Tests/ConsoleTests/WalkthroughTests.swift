import CoAP
import Foundation
import ModuleCore
import Platforms
import Testing
@testable import Console

/// Walkthroughs built from `examples/*.at`, followed through ``ConsoleState`` against the
/// ``Emulator`` in virtual time: Enter on each offered line, the module's bytes fed back.
@Suite struct WalkthroughTests {
    static func walkthrough(_ section: WalkthroughSection) throws -> Walkthrough {
        try Walkthrough(section: section, scriptText: section.builtInScript)
    }

    /// A console wired to an emulator the way the runner wires it, in virtual time.
    struct Rig {
        var emulator: Emulator
        var state = ConsoleState()
        var now = Instant(milliseconds: 0)
        /// Every line the console sent, in order.
        var sentLines: [String] = []

        init(_ section: WalkthroughSection) throws {
            emulator = Emulator(configuration: .init(identity: ModuleIdentity(imei: section.noteIMEI)))
            state.playsPlatform = true
            state.received(emulator.powerOn(now: now), now: now)
            state.startWalkthrough(try WalkthroughTests.walkthrough(section), now: now)
        }

        mutating func press(_ key: Key) {
            for action in state.handle(key, now: now) {
                switch action {
                case .send(let line):
                    sentLines.append(line)
                    now = now + 50
                    state.received(emulator.receive(atBytes: Array((line + "\r").utf8), now: now), now: now)
                case .platform(let play):
                    let registered = PlatformPlay.registeredProfile(in: emulator)
                    let at = now
                    for line in play.run(registered: registered, perform: { emulator.perform(line: $0, on: $1, now: at) }) {
                        state.note(line, now: now)
                    }
                    state.received(emulator.takeATOutput(), now: now)
                case .quit, .saveScript:
                    break
                }
            }
        }

        mutating func type(_ text: String) {
            for c in text { press(.character(c)) }
        }

        /// Lets virtual time pass, up to `limit` ms, while `condition` holds.
        mutating func run(while condition: (Rig) -> Bool, limit: Int64 = 600_000) {
            let end = now + limit
            while condition(self), let deadline = emulator.nextDeadline, deadline <= end {
                now = max(now, deadline)
                emulator.advance(to: now)
                state.received(emulator.takeATOutput(), now: now)
            }
        }
    }

    @Test(arguments: WalkthroughSection.allCases)
    func everySectionRunsToItsEndAgainstTheEmulator(_ section: WalkthroughSection) throws {
        var rig = try Rig(section)
        let total = try #require(rig.state.walkthrough).steps.count
        let script = try ScriptParser.parse(section.builtInScript, file: section.scriptName)
        let sends = script.steps.filter { if case .send = $0.kind { true } else { false } }.count
        #expect(total == sends)
        var guardCount = 0
        while let w = rig.state.walkthrough, w.phase != .finished, guardCount < 200 {
            guardCount += 1
            if w.phase == .ready {
                // The line offered is the step's, captures filled in, and it is in the input.
                #expect(rig.state.editor.text == w.suggestedLine, "step \(w.index + 1)")
                #expect(w.statusText.hasPrefix("step \(w.index + 1) of \(total) · send "))
                rig.press(.enter)
            } else {
                rig.run(while: { $0.state.walkthrough?.phase == .awaiting })
                #expect(rig.state.walkthrough?.phase != .awaiting, "stuck: \(rig.state.walkthrough?.statusText ?? "")")
                if rig.state.walkthrough?.phase == .awaiting { break }
            }
        }
        let end = try #require(rig.state.walkthrough)
        #expect(end.phase == .finished)
        #expect(end.index == total)
        #expect(rig.sentLines.count == total)
        #expect(rig.state.model.log.entries.contains { $0.kind == .note && $0.text.contains("all \(total) steps passed") })
        // Message ids were captured from the URCs and sent back, as the note does.
        if section != .andlink {
            let mid = try #require(end.captures["mid"])
            #expect(rig.sentLines.contains { $0.hasPrefix("AT+QLAOBSRSP=\(mid),1,19,0,0") })
            #expect(rig.state.model.log.entries.contains { $0.kind == .urc && $0.text == "+QLAURC: \"observe\",\(mid),0,19,0,0" })
        } else {
            let read = try #require(end.captures["read"])
            #expect(rig.sentLines.contains { $0.hasPrefix("AT+QLARDRSP=\(read),1,19,1,0") })
        }
    }

    @Test func anErrorWhereTheNoteExpectsOKKeepsTheStepAndOffersItAgain() throws {
        var rig = try Rig(.ct)
        #expect(rig.state.editor.text == "AT+QSCLK=0")
        rig.press(.control("u"))
        rig.type("AT+QSCLK=7")
        rig.press(.enter)
        let w = try #require(rig.state.walkthrough)
        #expect(w.index == 0 && w.phase == .ready)
        #expect(w.problem?.contains("ERROR") == true)
        #expect(rig.state.editor.text == "AT+QSCLK=0")
        #expect(rig.state.model.log.entries.contains { $0.kind == .note && $0.text.hasPrefix("walkthrough: the module answered ERROR") })
        rig.press(.enter)
        #expect(rig.state.walkthrough?.index == 1)
        #expect(rig.state.walkthrough?.problem == nil)
        #expect(rig.state.editor.text == "AT+CEREG?")
    }

    @Test func aSideCommandIsAnsweredWithoutMovingTheWalkthrough() throws {
        var rig = try Rig(.ct)
        rig.press(.control("u"))
        rig.type("AT+QLASTATUS?")
        rig.press(.enter)
        #expect(rig.state.walkthrough?.index == 0)
        #expect(rig.state.walkthrough?.phase == .ready)
        // The input was left as the person emptied it; F3 brings the step's line back.
        #expect(rig.state.editor.text.isEmpty)
        rig.press(.function(3))
        #expect(rig.state.editor.text == "AT+QSCLK=0")
    }

    @Test func theExplanationNamesTheCommandInEnglishAndChineseWithTheNotesAnnotation() throws {
        var w = try Self.walkthrough(.ct)
        let first = w.explanation().joined(separator: "\n")
        #expect(first.contains("禁用休眠模式"))
        #expect(first.contains("Keep the module awake"))
        // Step through to AT+QLAREG without a module, feeding the lines the note prints.
        while let line = w.suggestedLine, !line.hasPrefix("AT+QLAREG") {
            w.sent(line)
            for expectation in w.step?.expected ?? [] where !expectation.optional {
                w.received(expectation.pattern.description.replacingOccurrences(of: "{address}", with: "\"10.177.135.245\""))
            }
        }
        let register = w.explanation().joined(separator: "\n")
        #expect(register.contains("AT+QLAREG"))
        #expect(register.contains("发送注册请求"))
        #expect(register.contains("Expect: OK · +QLAREG: 0 · +QLAURC: \"observe\",{mid},0,19,0,0"))
        #expect(w.statusText == "step 8 of \(w.steps.count) · send AT+QLAREG")
        w.sent("AT+QLAREG")
        w.received("OK")
        #expect(w.statusText == "step 8 of \(w.steps.count) · waiting for +QLAREG: 0")
        w.received("+QLAREG: 0")
        w.received("+QLAURC: \"observe\",4242,0,19,0,0")
        #expect(w.suggestedLine == "AT+QLAOBSRSP=4242,1,19,0,0,2,9,\"020001000400023238\",0")
    }

    @Test func aSideCommandWhileAwaitingAURCKeepsItsOKApartAndTheURCStillCounts() throws {
        var w = try Self.walkthrough(.ct)
        while let line = w.suggestedLine, !line.hasPrefix("AT+QLAREG") {
            w.sent(line)
            for expectation in w.step?.expected ?? [] where !expectation.optional {
                w.received(expectation.pattern.description.replacingOccurrences(of: "{address}", with: "\"10.177.135.245\""))
            }
        }
        let register = w.index
        w.sent("AT+QLAREG")
        w.received("OK")
        w.sent("AT+QLASTATUS?")
        w.received("+QLAREG: 0")
        w.received("+QLASTATUS: 2")
        w.received("ERROR")   // the side command's answer: not the step's, and no problem
        #expect(w.problem == nil)
        #expect(w.index == register && w.phase == .awaiting)
        w.received("+QLAURC: \"observe\",7,0,19,0,0")
        #expect(w.index == register + 1 && w.phase == .ready)
        #expect(w.captures["mid"] == "7")
        // The note's spelling and the catalogue's name are the same command.
        #expect(Walkthrough.commandWord("AT+QLASENDATA=2,1,\"00\",0") == Walkthrough.commandWord("at+qlasenddata=2"))
        #expect(Walkthrough.commandWord("AT") != Walkthrough.commandWord("AT+QLAREG"))
    }

    @Test func theScreenShowsTheStepInAPaneAndOnTheHintLine() throws {
        var rig = try Rig(.aep)
        rig.press(.control("u"))
        let small = ConsoleScreen.render(rig.state, now: rig.now, width: 80, height: 24).grid.text
        #expect(small.contains("Walkthrough 4.3.2"), "\(small)")
        #expect(small.contains("step 1 of"))
        #expect(small.contains("Walkthrough: step 1 of"))
        // At 80x24 the pane takes the whole right column; at 200x60 the status pane stays.
        #expect(!small.contains("LwM2M status"))
        let large = ConsoleScreen.render(rig.state, now: rig.now, width: 200, height: 60).grid.text
        #expect(large.contains("LwM2M status") && large.contains("Walkthrough 4.3.2"), "\(large)")
        #expect(large.contains("禁用休眠模式"))
        #expect(large.contains("China Telecom AEP"))
    }

    static let examplesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples")

    /// The copies built into the binary are `examples/*.at` byte for byte, and every example is
    /// built in (after editing one, run scripts/embed-examples.sh).
    @Test func theBuiltInScriptsAreTheExamplesByteForByte() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.examplesDirectory.path).filter { $0.hasSuffix(".at") }
        #expect(Set(files) == Set(ExampleScripts.files.keys), "run scripts/embed-examples.sh")
        #expect(Set(WalkthroughSection.allCases.map(\.scriptName)).isSubset(of: Set(files)))
        for name in files {
            let onDisk = try Data(contentsOf: Self.examplesDirectory.appendingPathComponent(name))
            #expect(Array(onDisk) == Array((ExampleScripts.files[name] ?? "").utf8), "\(name) differs: run scripts/embed-examples.sh")
        }
    }

    @Test func theScriptIsTheBuiltInOneUnlessBC260_EXAMPLESNamesAnother() throws {
        let builtIn = try WalkthroughSection.ct.script(environment: [:])
        #expect(builtIn.source == .builtIn && builtIn.text == WalkthroughSection.ct.builtInScript)
        #expect(try WalkthroughSection.ct.script(environment: ["BC260_EXAMPLES": ""]).source == .builtIn)
        // An edited copy elsewhere wins while the variable names its directory.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bc260-examples-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let edited = "AT\nOK\n"
        try edited.write(to: directory.appendingPathComponent("ct-iot.at"), atomically: true, encoding: .utf8)
        let overridden = try WalkthroughSection.ct.script(environment: ["BC260_EXAMPLES": directory.path])
        #expect(overridden == (.file(directory.path + "/ct-iot.at"), edited))
        // Named but missing: said, not silently replaced.
        #expect(throws: WalkthroughSection.ScriptError.overrideUnreadable(path: directory.path + "/ct-aep.at")) {
            try WalkthroughSection.aep.script(environment: ["BC260_EXAMPLES": directory.path])
        }
    }
}
