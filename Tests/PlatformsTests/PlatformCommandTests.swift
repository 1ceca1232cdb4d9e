import Testing
@testable import Platforms

@Suite struct PlatformCommandTests {
    @Test func parsesEveryCommand() throws {
        #expect(try PlatformCommand(parsing: "list") == .list)
        #expect(try PlatformCommand(parsing: "  read  dev1 /3/0 ") == .read(endpoint: "dev1", path: "/3/0"))
        #expect(try PlatformCommand(parsing: "write 1 /19/1/0 {\"a\": 1}") ==
            .write(endpoint: "1", path: "/19/1/0", value: "{\"a\": 1}"))
        #expect(try PlatformCommand(parsing: "exec ep /3/0/4") == .exec(endpoint: "ep", path: "/3/0/4", arguments: nil))
        #expect(try PlatformCommand(parsing: "exec ep /3/0/4 0='x'") == .exec(endpoint: "ep", path: "/3/0/4", arguments: "0='x'"))
        #expect(try PlatformCommand(parsing: "observe ep /3/0/13") == .observe(endpoint: "ep", path: "/3/0/13"))
        #expect(try PlatformCommand(parsing: "cancel ep /3/0/13") == .cancel(endpoint: "ep", path: "/3/0/13"))
        #expect(try PlatformCommand(parsing: "discover ep /3") == .discover(endpoint: "ep", path: "/3"))
        #expect(try PlatformCommand(parsing: "HELP") == .help)
        let attr = try PlatformCommand(parsing: "attr ep /3/0/13 pmin=1 pmax=30 st")
        guard case .attributes(_, _, let a) = attr else { Issue.record("not attr"); return }
        #expect(a.map(\.name) == ["pmin", "pmax", "st"])
        #expect(a.map(\.value) == ["1", "30", nil])
    }

    @Test func rejectsMistakesWithAReason() {
        #expect(throws: PlatformCommand.ParseError.empty) { try PlatformCommand(parsing: "   ") }
        #expect(throws: PlatformCommand.ParseError.unknownCommand("reed")) { try PlatformCommand(parsing: "reed a /3") }
        #expect(throws: PlatformCommand.ParseError.missing(command: "read", what: "PATH")) { try PlatformCommand(parsing: "read ep") }
        #expect(throws: PlatformCommand.ParseError.badPath("3/0")) { try PlatformCommand(parsing: "read ep 3/0") }
        #expect(throws: PlatformCommand.ParseError.badPath("/3/70000")) { try PlatformCommand(parsing: "read ep /3/70000") }
        #expect(throws: PlatformCommand.ParseError.badAttribute("foo=1")) { try PlatformCommand(parsing: "attr ep /3 foo=1") }
        #expect(throws: PlatformCommand.ParseError.badAttribute("pmin=x")) { try PlatformCommand(parsing: "attr ep /3 pmin=x") }
        #expect(throws: PlatformCommand.ParseError.extra(command: "read", text: "x")) { try PlatformCommand(parsing: "read ep /3 x") }
    }
}
