import CoAP
import LwM2M

/// What one console line did: the lines to print now, the datagrams to send now, the id of the
/// operation it started (its outcome arrives later in the platform's log as `#<id> ...`), and
/// whether the person asked to quit.
public struct PlatformReply: Hashable, Sendable {
    public var lines: [String]
    public var datagrams: [Datagram]
    public var operation: DeviceManagement.OperationID?
    public var quit: Bool

    public init(lines: [String], datagrams: [Datagram] = [], operation: DeviceManagement.OperationID? = nil,
                quit: Bool = false) {
        self.lines = lines
        self.datagrams = datagrams
        self.operation = operation
        self.quit = quit
    }
}

extension EmbeddedPlatform {
    /// Carries out one parsed console line at `now`. A line that cannot be carried out (no such
    /// client, a path that is not a resource, bad hex) sends nothing and says why. The client's
    /// answer is not in the reply: it arrives later as log lines (`takeLines()` / `lines(after:)`).
    public mutating func perform(_ command: PlatformCommand, now: Instant) -> PlatformReply {
        switch command {
        case .help:
            return PlatformReply(lines: PlatformCommand.usage.split(separator: "\n", omittingEmptySubsequences: false)
                .map(String.init))
        case .quit:
            return PlatformReply(lines: [], quit: true)
        case .list:
            return PlatformReply(lines: listLines(now: now))
        default:
            break
        }
        guard let name = command.endpoint else { return PlatformReply(lines: []) }
        guard let endpoint = resolveEndpoint(name) else {
            let known = registrations.isEmpty ? "none is registered" : "type list to see them"
            return PlatformReply(lines: ["no client '\(name)' (\(known))"])
        }
        let operation: DeviceOperation
        do throws(PlatformCommand.OperationError) {
            guard let op = try command.operation() else { return PlatformReply(lines: []) }
            operation = op
        } catch {
            return PlatformReply(lines: [error.description])
        }
        var lines: [String] = []
        if case .cancelObservation(let path, _) = operation,
           !server.management.observations(of: endpoint).contains(where: { $0.1 == path }) {
            lines.append("(no observation of \(path) on \(endpoint) is known here; the client is asked anyway)")
        }
        let sealedBefore = secureOutbox.count
        let (id, datagrams) = perform(operation, on: endpoint, now: now)
        guard let id else { return PlatformReply(lines: lines + ["no client '\(endpoint)'"]) }
        let sent = !datagrams.isEmpty || secureOutbox.count > sealedBefore
        let state = sent ? "sent" + (datagrams.isEmpty ? " (DTLS)" : "") : "held until \(endpoint) wakes"
        lines.append("#\(id) \(operation) on \(endpoint): \(state)\(detail(operation))")
        return PlatformReply(lines: lines, datagrams: datagrams, operation: id)
    }

    /// An endpoint name as registered, or a `list` number (a registered name wins: an IMEI is
    /// digits too).
    public func resolveEndpoint(_ text: String) -> String? {
        let all = registrations
        if all.contains(where: { $0.endpoint == text }) { return text }
        if let n = Int(text), n >= 1, n <= all.count { return all[n - 1].endpoint }
        return nil
    }

    /// `list`: one line per registered client, numbered, with what the platform observes on it.
    public func listLines(now: Instant) -> [String] {
        let all = registrations
        guard !all.isEmpty else { return ["no clients registered with \(profile.title) at \(address)"] }
        return all.enumerated().map { index, r in
            let left = max(0, r.expiresAt - now) / 1000
            let observed = server.management.observations(of: r.endpoint).map { "\($0.1) (#\($0.0))" }
            let objects = r.objectPaths.map(\.description).joined(separator: " ")
            return "\(index + 1)  \(r.endpoint)  \(r.peer)  lifetime \(r.lifetime) s (\(left) s left)  "
                + "binding \(r.binding)  LwM2M \(r.lwm2mVersion)  objects \(objects.isEmpty ? "(none)" : objects)"
                + (observed.isEmpty ? "" : "  observing " + observed.joined(separator: ", "))
        }
    }

    private func detail(_ operation: DeviceOperation) -> String {
        guard case .write(_, let content, _) = operation else { return "" }
        return " (\(content.format), \(content.bytes.count) bytes)"
    }
}
