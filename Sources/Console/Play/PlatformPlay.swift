import CoAP
import Platforms

/// A `:` line of the console: a command for one of the embedded platforms (`:read 1 /19/0/0`,
/// `:ct observe 1 /19/0/0`, `:list`), so a learner can play the server side and watch the URC
/// it causes arrive on the AT link.
///
/// Contract: pure. ``init(_:)`` takes the line as typed (with its `:`), or returns nil when it
/// is not a `:` line. ``profile(registeredWith:)`` picks the platform: the one named by a
/// `:ct`, `:aep` or `:andlink` prefix, else the embedded platform the module is registered
/// with (the most recent registration when several), else none.
public struct PlatformPlay: Hashable, Sendable {
    /// The platform named by a prefix (`:aep read ...`), if any.
    public let explicitProfile: PlatformProfile?
    /// The platform command as `PlatformCommand` parses it (`read 1 /19/0/0`); may be empty.
    public let command: String

    /// The profiles a prefix may name, in the order the note presents them.
    public static let playable: [PlatformProfile] = [.ctIoT, .ctAEP, .andlink]

    public init?(_ line: String) {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard trimmed.first == ":" else { return nil }
        let body = trimmed.dropFirst().drop { $0 == " " || $0 == "\t" }
        let first = body.prefix { $0 != " " && $0 != "\t" }
        if let profile = PlatformProfile(name: String(first)), Self.playable.contains(profile) {
            explicitProfile = profile
            command = String(body.dropFirst(first.count).drop { $0 == " " || $0 == "\t" })
        } else {
            explicitProfile = nil
            command = String(body)
        }
    }

    /// The words the log shows for the line (`ct> read 1 /19/0/0`).
    public func echo(on profile: PlatformProfile?) -> String {
        "\(profile?.name ?? "platform")> \(command)"
    }

    /// The platform the line is for, given the emulator as it stands.
    public func profile(in emulator: Emulator) -> PlatformProfile? {
        if let explicitProfile { return explicitProfile }
        return Self.registeredProfile(in: emulator)
    }

    /// The embedded platform holding the module's newest registration, if any.
    public static func registeredProfile(in emulator: Emulator) -> PlatformProfile? {
        var best: (PlatformProfile, Instant)?
        for profile in playable {
            guard let platform = emulator.platform(profile) else { continue }
            for registration in platform.registrations {
                if let known = best, known.1 >= registration.expiresAt { continue }
                best = (profile, registration.expiresAt)
            }
        }
        return best?.0
    }

    /// Carries the line out through `perform` (``EmulatorHost``'s or ``Emulator``'s
    /// `perform(line:on:)`) on the platform named, else on `registered` (see
    /// ``registeredProfile(in:)``); returns the lines for the log.
    public func run(registered: PlatformProfile?,
                    perform: (_ line: String, _ profile: PlatformProfile) -> PlatformReply?) -> [String] {
        let chosen = explicitProfile ?? registered
        let verb = command.split(separator: " ").first.map { $0.lowercased() } ?? ""
        guard !command.isEmpty, verb != "quit", verb != "exit" else {
            return ["platform commands: :read EP PATH, :write EP PATH VALUE, :observe, :cancel, :exec, :discover, :list, :help"
                    + " (EP: 1 is the first registered client; :ct, :aep or :andlink first picks the platform)"]
        }
        guard let profile = chosen ?? ((verb == "help" || verb == "?" || verb == "list" || verb == "ls") ? .ctIoT : nil) else {
            return ["the module is not registered with an embedded platform: register first (AT+QLAREG), "
                    + "or name one: :ct, :aep or :andlink before the command"]
        }
        guard let reply = perform(command, profile) else {
            return ["no \(profile.title) platform runs in this emulator"]
        }
        return reply.lines.map { "\(profile.name): \($0)" }
    }
}
