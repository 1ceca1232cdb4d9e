import Foundation
import Testing
import TestSupport

extension TmuxConsoleTests.Session {
    /// Starts the console with extra arguments (after `--state`).
    func start(width: Int, height: Int, arguments: [String]) throws {
        try newSession(width: width, height: height,
                       command: "\(PackagePaths.bc260) --state \(state) \(arguments.joined(separator: " ")); echo EXITED $?; sleep 20")
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

/// An installed binary: a copy of `bc260` alone in an empty directory, started there. Where a
/// private mount namespace is allowed (`unshare -rm`), the package's `examples/` is hidden under
/// an empty tmpfs for the run, so no file anywhere can supply the steps.
@Suite(.serialized) struct TmuxInstalledWalkthroughTests {
    static let packageExamples = PackagePaths.root + "/examples"

    /// Whether `unshare -rm` can mount over the package's examples here (root, or user namespaces).
    static let canHideExamples: Bool = {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else { return false }
        guard let probe = try? ChildProcess(executable: "/usr/bin/unshare", [
            "-rm", "sh", "-c", "mount -t tmpfs bc260-hidden '\(packageExamples)' && [ ! -e '\(packageExamples)/ct-iot.at' ]",
        ]) else { return false }
        probe.closeInput()
        return ChildProcess.exitedCleanly(probe.waitForExit(seconds: 10))
    }()

    @Test(.enabled(if: TmuxConsoleTests.available)) func aCopyOfTheBinaryAloneStartsAWalkthrough() throws {
        let scratch = try TemporaryDirectory(prefix: "bc260-installed-")
        defer { scratch.remove() }
        let directory = scratch.path
        let session = TmuxConsoleTests.Session()
        var console = "./bc260 --state '\(session.state)' --walkthrough ct"
        if Self.canHideExamples {
            console = "unshare -rm sh -c \"mount -t tmpfs bc260-hidden '\(Self.packageExamples)' && exec \(console)\""
        }
        // Copied by the pane's shell: a descriptor open for writing in this (multi-threaded)
        // process could leak into a concurrent spawn and make the exec fail with ETXTBSY.
        let command = "cp '\(PackagePaths.bc260)' '\(directory)/bc260' && cd '\(directory)' && env -u BC260_EXAMPLES \(console); echo EXITED $?; sleep 20"
        try session.newSession(width: 80, height: 24, command: command)
        var screen = try session.waitFor(["Walkthrough 4.2.2", "AT> AT+QSCLK=0", "step 1 of"])
        #expect(screen.contains("AT> AT+QSCLK=0"), "\(screen)")
        #expect(screen.contains("step 1 of 22"), "\(screen)")
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
