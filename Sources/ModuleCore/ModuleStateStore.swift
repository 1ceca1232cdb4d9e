import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads and writes ``ModuleState`` as JSON in one file: the edge where the module's saved
/// state meets the disk. The engine stays pure and only hands states out.
///
/// Contract:
/// - ``load()`` never fails: a missing, unreadable, corrupt or out-of-range file gives the
///   defaults and a note saying why (the file itself is left alone for a person to look at).
/// - ``save(_:)`` is atomic: the JSON goes to a temporary file in the same directory, is flushed
///   with `fsync`, renamed over the old file, and the directory is flushed, so a crash leaves
///   either the old state or the new one, never a torn file.
public struct ModuleStateStore: Sendable {
    public static let fileName = "module.json"

    /// The state file.
    public let path: String

    public var directory: String {
        let slash = path.lastIndex(of: "/")
        guard let slash else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// A store for the file at `path`.
    public init(path: String) {
        self.path = path
    }

    /// A store for `module.json` in `directory`.
    public init(directory: String) {
        let trimmed = directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
        self.path = trimmed + "/" + Self.fileName
    }

    /// `$XDG_STATE_HOME/bc260`, else `$HOME/.local/state/bc260` (the XDG base directory rule: a
    /// relative `XDG_STATE_HOME` is ignored). Nil when neither variable gives an absolute path.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/bc260" }
        if let home = environment["HOME"], home.hasPrefix("/") { return home + "/.local/state/bc260" }
        return nil
    }

    /// What ``load()`` found.
    public struct LoadedState: Hashable, Sendable {
        public var state: ModuleState
        /// Why the defaults are used, or nil when the file was read.
        public var note: String?
    }

    public func load() -> LoadedState {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let missing = !FileManager.default.fileExists(atPath: path)
            return LoadedState(state: .defaults, note: missing
                ? "no saved module state at \(path); starting with the defaults"
                : "cannot read the saved module state at \(path) (\(error.localizedDescription)); starting with the defaults")
        }
        let state: ModuleState
        do {
            state = try JSONDecoder().decode(ModuleState.self, from: data)
        } catch {
            return LoadedState(state: .defaults,
                               note: "the saved module state at \(path) is not valid (\(Self.describe(error))); starting with the defaults, the file is left as it is")
        }
        if let problem = state.problem {
            return LoadedState(state: .defaults,
                               note: "the saved module state at \(path) is out of range (\(problem)); starting with the defaults, the file is left as it is")
        }
        return LoadedState(state: state, note: nil)
    }

    public struct SaveError: Error, Hashable, Sendable, CustomStringConvertible {
        public let step: String
        public let errno: Int32

        public var description: String { "\(step): \(String(cString: strerror(errno)))" }
    }

    /// Writes `state` atomically (see the type's contract), creating the directory if needed.
    public func save(_ state: ModuleState) throws(SaveError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(state) else { throw SaveError(step: "encode", errno: EINVAL) }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw SaveError(step: "create \(directory)", errno: EACCES)
        }
        let temporary = path + ".tmp-\(getpid())"
        try writeAndSync(Array(data) + [0x0A], to: temporary)
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw SaveError(step: "rename \(temporary)", errno: code)
        }
        try syncDirectory()
    }

    private func writeAndSync(_ bytes: [UInt8], to file: String) throws(SaveError) {
        let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SaveError(step: "open \(file)", errno: errno) }
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(fd)
                unlink(file)
                throw SaveError(step: "write \(file)", errno: code)
            }
            written += n
        }
        guard fsync(fd) == 0 else {
            let code = errno
            close(fd)
            unlink(file)
            throw SaveError(step: "fsync \(file)", errno: code)
        }
        close(fd)
    }

    private func syncDirectory() throws(SaveError) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw SaveError(step: "open \(directory)", errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw SaveError(step: "fsync \(directory)", errno: errno) }
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context): "corrupt data: \(context.debugDescription)"
        case DecodingError.keyNotFound(let key, _): "missing \(key.stringValue)"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        default: "\(error)"
        }
    }
}
