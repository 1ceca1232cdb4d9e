import ATProtocol
import CoAP
import LwM2M

extension EmulatedModule {
    /// AT+QLAREG works when no registration is up: unregistered (0), deregistered (4; the 4.2.2
    /// script registers again after AT+QLADEREG), invalid (5, the lifetime ran out) and after a
    /// failed recovery (7; the note's result code 3 says "register again with AT+QLAREG").
    static let registrableStates: Set<LwM2MStatus> = [.unregistered, .deregistered, .invalid, .sessionNeedsRecovery]

    mutating func qlareg(now: Instant) {
        guard Self.registrableStates.contains(status) else {
            return reject("AT+QLAREG: not while status is \(status)")
        }
        guard let server = configuredServer else {
            return reject("AT+QLAREG: no server configured (AT+QLACONFIG)")
        }
        let options = saved.options
        let configuration = SessionConfiguration(
            server: server.configuration, bootstrap: server.isBootstrap, platform: options.platform,
            ackTimeoutSeconds: options.ackTimeout, maximumRetransmissions: options.maximumRetransmissions,
            dtlsMode: options.dtlsMode, dtlsVersion: options.dtlsVersion, objects: objectTree(server: server))
        // A new registration is a new session: nothing of the old one is observed or pending.
        observations = []
        pendingServerRequests = [:]
        notifyAssembly = nil
        registration = nil
        status = .registering
        emit(.ok)
        issue(.register(configuration), as: .register)
    }

    mutating func qlaupdate(_ command: ValidatedCommand, now: Instant) {
        guard status == .registered, let registration else {
            return reject("AT+QLAUPDATE: not registered (status \(status))")
        }
        guard now < registration.expiresAt else {
            return reject("AT+QLAUPDATE: the accepted lifetime (\(registration.lifetime) s) has passed since the last successful update")
        }
        guard !updateInFlight else { return reject("AT+QLAUPDATE: an update is already under way") }
        let rai = ReleaseAssistance(rawValue: command.integer("rai_mode") ?? 0) ?? .none
        var lifetime: Int64?
        var binding: ServerConfiguration.Binding?
        if command.integer("mode") == 0 {
            lifetime = command.integer("lifetime")
        } else {
            binding = command.integer("binding_mode").flatMap(ServerConfiguration.Binding.init(rawValue:))
        }
        guard lifetime != nil || binding != nil else { return reject("AT+QLAUPDATE: parameters do not read") }
        emit(.ok)
        issue(.update(lifetime: lifetime, binding: binding, rai: rai), as: .update(.command(lifetime: lifetime, binding: binding)))
    }

    mutating func qladereg() {
        guard status == .registered || status == .invalid else {
            return reject("AT+QLADEREG: not registered (status \(status))")
        }
        status = .deregistering
        emit(.ok)
        issue(.deregister, as: .deregister)
    }

    /// The working-server configuration changed by the server or by AT+QLAUPDATE: keep the
    /// configured and the saved copies in step.
    mutating func changeWorkingServer(lifetime: Int64? = nil, binding: ServerConfiguration.Binding? = nil) {
        guard case .working(var server)? = configuredServer else { return }
        if let lifetime { server.lifetime = lifetime }
        if let binding { server.binding = binding }
        configuredServer = .working(server)
        if saved.workingServer != server {
            saved.workingServer = server
            save()
        }
    }
}
