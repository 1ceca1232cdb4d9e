import CoAP
import Platforms

/// AT commands per second through the engine in process: an ``Emulator`` (virtual time, the
/// note's platforms embedded) registered to the CT IoT platform with /19/0/0 observed, as in
/// the note's 4.2.2, then a timed loop of the fixed mix below. A command counts when its final
/// `OK` came back; anything else stops the run with the transcript so far.
enum ATCommandBench {
    /// The mix: status, the configuration listing, a NON notification to the embedded platform.
    static let mix = [
        "AT+QLASTATUS?",
        "AT+QLACFG?",
        #"AT+QLANOTIFY=19,0,0,2,9,"020001000400023238",0,0"#,
    ]

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Commands per second of wall time and per second of CPU time.
    static func run(seconds: Double = 1.0) throws -> (wall: Double, cpu: Double) {
        var session = try ATSession.registeredAndObserved()
        let commands = mix.map { Array(($0 + "\r").utf8) }
        var failure: String?
        var notifies = 0
        let before = session.notificationsReceived
        let rate = Measure.rateAndCPURate(seconds: seconds) { n in
            var ok = 0
            for i in 0..<n {
                let k = i % commands.count
                if k == 2 { notifies += 1 }
                let answer = session.send(commands[k])
                if answer.finalOK { ok += 1 } else if failure == nil { failure = answer.text }
            }
            return ok
        }
        if let failure { throw Failure(description: "atcommands: a command was not answered OK: \(failure)") }
        // Each NON notification must really have reached the platform.
        let received = session.notificationsReceived - before
        if received != notifies {
            throw Failure(description: "atcommands: \(notifies) AT+QLANOTIFY, \(received) notifications at the platform")
        }
        return rate
    }
}

/// An emulator driven the way a TE drives a module, one command at a time, in virtual time:
/// each command goes in at `now`, then time runs through every deadline up to `now + step` so
/// that what the command set off (datagrams to the platform, their answers, URCs) is done.
struct ATSession {
    var emulator = Emulator()
    var now = Instant.zero
    /// Virtual milliseconds each command takes.
    var step: Int64 = 1
    /// Notifications the platforms logged as received.
    private(set) var notificationsReceived = 0

    struct Answer {
        var bytes: [UInt8]
        /// The answer holds a final `OK` line.
        var finalOK: Bool { ByteSearch.contains(bytes, ATSession.okLine) }
        var text: String { String(decoding: bytes, as: UTF8.self).debugDescription }
    }

    static let okLine = Array("\r\nOK\r\n".utf8)

    init() {
        _ = emulator.powerOn(now: now)
    }

    mutating func send(_ bytes: [UInt8]) -> Answer {
        var out = emulator.receive(atBytes: bytes, now: now)
        out += run(for: step)
        return Answer(bytes: out)
    }

    mutating func send(_ line: String) -> Answer { send(Array((line + "\r").utf8)) }

    /// Lets `milliseconds` of virtual time pass; returns the AT bytes printed meanwhile.
    mutating func run(for milliseconds: Int64) -> [UInt8] {
        let end = now + milliseconds
        var out: [UInt8] = []
        while let due = emulator.nextDeadline, due <= end {
            now = max(now, due)
            emulator.advance(to: now)
            out += emulator.takeATOutput()
        }
        now = end
        // Taken as an owner would, else they would pile up for the whole run.
        for line in emulator.takePlatformLines() where line.line.text.hasPrefix("notification #") {
            notificationsReceived += 1
        }
        _ = emulator.takeDiagnostics()
        _ = emulator.takeStateToSave()
        return out
    }

    /// Runs up to `limit` ms until `text` appears in the output; returns the output.
    mutating func wait(for text: String, limit: Int64 = 60_000) throws -> [UInt8] {
        var out: [UInt8] = []
        let needle = Array(text.utf8)
        while !ByteSearch.contains(out, needle) {
            guard let due = emulator.nextDeadline, due <= now + limit else {
                throw ATCommandBench.Failure(description: "no \(text) within \(limit) ms: \(String(decoding: out, as: UTF8.self).debugDescription)")
            }
            now = max(now, due)
            emulator.advance(to: now)
            out += emulator.takeATOutput()
        }
        return out
    }

    /// 4.2.2 up to the observed /19/0/0: configuration, objects, registration, observe answer.
    static func registeredAndObserved() throws -> ATSession {
        var s = ATSession()
        let imei = s.emulator.module.identity.imei
        for line in ["AT+QSCLK=0", #"AT+QLACFG="platform",0"#,
                     #"AT+QLACONFIG=0,"180.101.147.115",5683,"\#(imei)",300,3"#,
                     "AT+QLAADDOBJ=19,0,1,0", "AT+QLAADDOBJ=19,1,1,0"] {
            try s.expectOK(line)
        }
        var out = s.send("AT+QLAREG").bytes
        if !ByteSearch.contains(out, Array(#"+QLAURC: "observe","#.utf8)) { out += try s.wait(for: #"+QLAURC: "observe","#) }
        // `+QLAURC: "observe",<mid>,0,19,0,0`: the second field is the message id to answer.
        let text = String(decoding: out, as: UTF8.self)
        guard let urc = text.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix(#"+QLAURC: "observe","#) }),
              let mid = urc.split(separator: ",").dropFirst().first.flatMap({ Int($0) }) else {
            throw ATCommandBench.Failure(description: "no observe URC after AT+QLAREG: \(text.debugDescription)")
        }
        try s.expectOK(#"AT+QLAOBSRSP=\#(mid),1,19,0,0,2,9,"020001000400023238",0"#)
        guard s.emulator.platform(.ctIoT)?.server.management.observations(of: imei).isEmpty == false else {
            throw ATCommandBench.Failure(description: "the CT IoT platform observes nothing after AT+QLAOBSRSP")
        }
        return s
    }

    private mutating func expectOK(_ line: String) throws {
        let answer = send(line)
        guard answer.finalOK else { throw ATCommandBench.Failure(description: "\(line): \(answer.text)") }
    }
}
