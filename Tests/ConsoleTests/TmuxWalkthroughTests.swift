import Foundation
import Testing

extension TmuxConsoleTests.Session {
    /// Starts the console with extra arguments (after `--state`).
    func start(width: Int, height: Int, arguments: [String]) throws {
        let command = "\(TmuxConsoleTests.binary) --state \(state) \(arguments.joined(separator: " ")); echo EXITED $?; sleep 20"
        try tmux(["new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-e", "LANG=C.UTF-8", "-e", "TERM=xterm-256color",
                  "sh", "-c", command])
    }
}

/// `bc260 --walkthrough ct` in tmux: the real binary offers the note's first line, the person
/// sends it, the answer is checked, and the second step follows.
@Suite(.serialized) struct TmuxWalkthroughTests {
    @Test(.enabled(if: TmuxConsoleTests.available)) func theCTWalkthroughsFirstTwoStepsAt80x24() throws {
        let session = TmuxConsoleTests.Session()
        try session.start(width: 80, height: 24, arguments: ["--walkthrough", "ct"])
        var screen = try session.waitFor(["Walkthrough 4.2.2", "AT> AT+QSCLK=0", "step 1 of", "+CPIN: READY"])
        #expect(screen.contains("AT> AT+QSCLK=0"), "\(screen)")
        #expect(screen.contains("step 1 of 22"), "\(screen)")
        #expect(screen.contains("send AT+QSCLK=0"))
        try session.keys("Enter")
        screen = try session.waitFor(["step 2 of 22", "AT> AT+CEREG?"])
        #expect(screen.contains("step 2 of 22"), "\(screen)")
        #expect(screen.contains("AT> AT+CEREG?"))
        #expect(screen.contains("< OK"))
        try session.keys("Enter")
        screen = try session.waitFor(["step 3 of 22", "AT> AT+CGPADDR?", "+CEREG: 0,1"])
        #expect(screen.contains("step 3 of 22"), "\(screen)")
        #expect(screen.contains("+CEREG: 0,1"))
        #expect(screen.contains("AT> AT+CGPADDR?"))
        try session.keys("F10")
        screen = try session.waitFor(["EXITED 0"])
        #expect(screen.contains("EXITED 0"), "\(screen)")
    }
}

/// A `:` line in the real binary: the platform reads, the URC arrives and is marked pending.
@Suite(.serialized) struct TmuxPlatformPlayTests {
    @Test(.enabled(if: TmuxConsoleTests.available)) func aReadFromThePlatformArrivesAsAURC() throws {
        let session = TmuxConsoleTests.Session()
        try session.start(width: 200, height: 60)
        _ = try session.waitFor(["+CPIN: READY"])
        for line in [#"AT+QLACFG="platform",0"#, #"AT+QLACONFIG=0,"180.101.147.115",5683,"867724030023557",300,3"#,
                     "AT+QLAADDOBJ=19,0,1,0", "AT+QLAREG"] {
            try session.keys(line, "Enter")
        }
        _ = try session.waitFor(["+QLAREG: 0", "AT> AT+QLAOBSRSP="])
        try session.keys("Enter")
        _ = try session.waitFor(["+QLAOBSRSP: 0"])
        try session.keys("C-u", ":read 1 /19/0/0")
        var screen = try session.waitFor(["platform: read EP PATH"])
        #expect(screen.contains("platform: read EP PATH"), "\(screen)")
        try session.keys("Enter")
        screen = try session.waitFor(["ct> read 1 /19/0/0", "+QLAURC: \"read\"", "AT> AT+QLARDRSP="])
        #expect(screen.contains("ct> read 1 /19/0/0"), "\(screen)")
        #expect(screen.contains("+QLAURC: \"read\""))
        #expect(screen.contains("AT> AT+QLARDRSP="))
        try session.keys("F10")
        _ = try session.waitFor(["EXITED 0"])
    }
}

/// `--poll 1`: the console asks AT+QLASTATUS? by itself, visibly, and the status pane follows.
@Suite(.serialized) struct TmuxPollTests {
    @Test(.enabled(if: TmuxConsoleTests.available)) func pollingAsksTheStatusWithoutATypedLine() throws {
        let session = TmuxConsoleTests.Session()
        try session.start(width: 80, height: 24, arguments: ["--poll", "1"])
        let screen = try session.waitFor(["> AT+QLASTATUS?", "< +QLASTATUS: 0", "Status   not registered (0)"])
        #expect(screen.contains("> AT+QLASTATUS?"), "\(screen)")
        #expect(screen.contains("Status   not registered (0)"), "\(screen)")
        try session.keys("F10")
        #expect(try session.waitFor(["EXITED 0"]).contains("EXITED 0"))
    }
}
