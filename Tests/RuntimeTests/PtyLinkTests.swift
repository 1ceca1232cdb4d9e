import Glibc
import Testing
@testable import Runtime
import TestSupport

@Suite struct PtyLinkTests {
    @Test func linkPointsAtTheSlaveAndGoesAwayOnClose() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let link = directory.file("bc260")
        let pty = try PseudoTerminal(linkPath: link)
        #expect(symlinkTarget(link) == pty.slavePath)
        // A client can use the link as its device name.
        let client = try TerminalClient(path: link)
        #expect(client.write(Array("AT\r\n".utf8)[...]) == 4)
        #expect(waitFor(pty.fileDescriptor, milliseconds: 2000))
        #expect(try pty.read() == Array("AT\r\n".utf8))
        pty.close()
        #expect(!pathExists(link))
    }

    @Test func staleLinkIsReplaced() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let link = directory.file("bc260")
        #expect(symlink("/dev/pts/does-not-exist", link) == 0)
        let pty = try PseudoTerminal(linkPath: link)
        #expect(symlinkTarget(link) == pty.slavePath)
        // Only the link itself is left in the directory: no temporary names.
        var entries: [String] = []
        if let handle = opendir(directory.path) {
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name != "." && name != ".." { entries.append(name) }
            }
            closedir(handle)
        }
        #expect(entries == ["bc260"])
    }

    @Test func somethingElseAtTheLinkPathIsLeftAlone() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("notes.txt")
        let fd = open(path, O_CREAT | O_WRONLY, 0o644)
        #expect(fd >= 0)
        _ = write(fd, "keep me", 7)
        close(fd)
        #expect(throws: SerialPortError.linkPathOccupied(path: path)) { try PseudoTerminal(linkPath: path) }
        var info = stat()
        #expect(lstat(path, &info) == 0)
        #expect(info.st_size == 7)
        #expect(SerialPortError.linkPathOccupied(path: path).description.contains(path))
    }

    @Test func linkTakenOverByAnotherTerminalIsNotRemoved() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let link = directory.file("bc260")
        let first = try PseudoTerminal(linkPath: link)
        let second = try PseudoTerminal(linkPath: link)
        #expect(symlinkTarget(link) == second.slavePath)
        first.close()
        #expect(symlinkTarget(link) == second.slavePath)
        second.close()
        #expect(!pathExists(link))
    }

    @Test func linkInAMissingDirectoryFailsWithPathAndErrno() throws {
        let link = "/tmp/bc260-no-such-directory-\(getpid())/bc260"
        do {
            _ = try PseudoTerminal(linkPath: link)
            Issue.record("expected a failure")
        } catch {
            #expect(error.errno == ENOENT)
            #expect(error.description.contains("/tmp/bc260-no-such-directory-"))
            #expect(error.description.contains("No such file or directory"))
        }
    }
}
