import ArgumentParser
import DTLS
import ModuleCore
import Platforms

/// The options `bc260 serve` and `bc260 run` share to build their ``Emulator``: the module's
/// identity, where its saved state lives, and `--remap` rules.
struct EmulatorOptions: ParsableArguments {
    @Option(help: "The module's IMEI (15 digits).")
    var imei: String?

    @Option(help: "The SIM's IMSI (up to 15 digits).")
    var imsi: String?

    @Option(help: "Directory of the saved module state (AT+QLACONFIG, AT+QLACFG, custom objects).")
    var state: String?

    @Option(name: .customLong("remap"), help: ArgumentHelp(
        "Send the module's datagrams for the first address to the second instead (repeatable), "
            + "e.g. 127.0.0.1:5683=180.101.147.115:5683 (an embedded platform) or 180.101.147.115:5683=192.0.2.7:5683 (a real server).",
        valueName: "HOST:PORT=HOST:PORT"))
    var remapTexts: [String] = []

    @Option(name: .customLong("psk"), help: ArgumentHelp(
        "A pre-shared key the embedded platforms accept on their DTLS ports (port + 1, e.g. 5684) besides the "
            + "module's own PSK_ID/PSK, which they accept anyway (repeatable). The key is the text after the last colon.",
        valueName: "IDENTITY:KEY"))
    var pskTexts: [String] = []

    @Option(name: .customLong("sleep-idle"), help: ArgumentHelp(
        "Seconds the module stays idle with AT+QSCLK=1 before deep sleep (default 10).", valueName: "SECONDS"))
    var sleepIdle: Double = 10

    func validate() throws {
        if let imei, imei.count != 15 || !imei.allSatisfy(\.isASCIIDigit) {
            throw ValidationError("--imei: 15 digits, not '\(imei)'")
        }
        if let imsi, imsi.isEmpty || imsi.count > 15 || !imsi.allSatisfy(\.isASCIIDigit) {
            throw ValidationError("--imsi: up to 15 digits, not '\(imsi)'")
        }
        _ = try remaps()
        _ = try keys()
        guard sleepIdle >= 0.001, sleepIdle <= 86_400 else {
            throw ValidationError("--sleep-idle: from 0.001 to 86400 seconds, not \(sleepIdle)")
        }
    }

    /// True when any option here was given (they mean nothing against a real module).
    var anyGiven: Bool {
        imei != nil || imsi != nil || state != nil || !remapTexts.isEmpty || !pskTexts.isEmpty || sleepIdle != 10
    }

    func keys() throws -> [PreSharedKey] { try PreSharedKey.parsingOptions(pskTexts) }

    func remaps() throws -> [AddressRemap] {
        try remapTexts.map { text in
            do {
                return try AddressRemap(parsing: text)
            } catch {
                throw ValidationError("--remap: \(error)")
            }
        }
    }

    /// The store at `--state`, else at `fallback` (nil: no store).
    func store(fallback: String? = nil) -> ModuleStateStore? {
        (state ?? fallback).map { ModuleStateStore(directory: $0) }
    }

    /// The emulator's configuration: this identity and these remaps, starting from `savedState`.
    func configuration(savedState: ModuleState) throws -> Emulator.Configuration {
        let defaults = ModuleIdentity()
        return Emulator.Configuration(identity: ModuleIdentity(imei: imei ?? defaults.imei, imsi: imsi ?? defaults.imsi),
                                      timing: ModuleTiming(deepSleepIdleMilliseconds: Int64(sleepIdle * 1000)),
                                      savedState: savedState, remaps: try remaps(), keys: try keys())
    }
}

extension PreSharedKey {
    /// `--psk IDENTITY:KEY` values; an error names the option, never the key.
    static func parsingOptions(_ texts: [String]) throws -> [PreSharedKey] {
        try texts.map { text in
            guard let psk = PreSharedKey(parsing: text) else {
                throw ValidationError("--psk: IDENTITY:KEY with both parts non-empty (the key follows the last colon)")
            }
            return psk
        }
    }
}

extension ModuleStateStore {
    /// The saved state, or the defaults; why the defaults is logged.
    func loadLogging() -> ModuleState {
        let loaded = load()
        if let note = loaded.note { log(note) }
        return loaded.state
    }
}
