import ATProtocol
import CoAP
import LwM2M

extension EmulatedModule {
    /// States in which no session is up: AT+QLACONFIG and the DTLS keys of AT+QLACFG work only here.
    static let configurableStates: Set<LwM2MStatus> = [.unregistered, .deregistered]

    // MARK: AT+QLACONFIG

    mutating func qlaconfig(_ command: ValidatedCommand) {
        if command.form == .query {
            if case .working(let server)? = configuredServer {
                var values: [ATValue] = [.integer(0), .string(server.host), .integer(Int64(server.port)),
                                         .string(server.endpoint), .integer(server.lifetime),
                                         .integer(server.securityMode.rawValue)]
                if let identity = server.pskIdentity, let psk = server.psk { values += [.string(identity), .string(psk)] }
                values.append(.integer(server.binding.rawValue))
                emit(.information(name: "QLACONFIG", values: values))
            }
            emit(.ok)
            return
        }
        guard Self.configurableStates.contains(status) else {
            return reject("AT+QLACONFIG: only while unregistered (0) or deregistered (4); status is \(status)")
        }
        guard let flag = command.integer("bootstrap_flag"), let host = command.string("serverIP"),
              let port = command.integer("port").flatMap(UInt16.init(exactly:)),
              let endpoint = command.string("endpoint_name"), let lifetime = command.integer("lifetime"),
              let mode = command.integer("security_mode").flatMap(ServerConfiguration.SecurityMode.init(rawValue:)),
              let binding = ServerConfiguration.Binding(rawValue: command.integer("binding_mode") ?? 0) else {
            return reject("AT+QLACONFIG: parameters do not read as a server configuration")
        }
        guard !host.isEmpty else { return reject("AT+QLACONFIG: <serverIP> is empty") }
        let server = ServerConfiguration(host: host, port: port, endpoint: endpoint, lifetime: lifetime,
                                         securityMode: mode, pskIdentity: command.string("PSK_ID"),
                                         psk: command.string("PSK"), binding: binding)
        if flag == 1 {
            // Only the working server a bootstrap hands out is saved; until then there is none.
            configuredServer = .bootstrap(server)
            saved.workingServer = nil
        } else {
            configuredServer = .working(server)
            saved.workingServer = server
        }
        save()
        emit(.ok)
    }

    // MARK: AT+QLACFG

    mutating func qlacfg(_ command: ValidatedCommand) {
        if command.form == .query {
            for key in QLACFGKey.allCases {
                for values in saved.options.lines(for: key) { emit(.information(name: "QLACFG", values: values)) }
            }
            emit(.ok)
            return
        }
        guard case .string(let word)? = command.given("key"), let key = QLACFGKey(rawValue: word) else {
            return reject("AT+QLACFG: unknown key")
        }
        if command.arguments.count == 1 {
            for values in saved.options.lines(for: key) { emit(.information(name: "QLACFG", values: values)) }
            emit(.ok)
            return
        }
        var options = saved.options
        switch key {
        case .retransmit:
            options.ackTimeout = command.integer("ACK_timeout") ?? options.ackTimeout
            options.maximumRetransmissions = command.integer("retrans_max_times") ?? options.maximumRetransmissions
        case .autoAck:
            options.autoAcknowledgeObserve = command.integer("is_auto_ACK") == 1
        case .platform:
            guard let platform = command.integer("platform").flatMap(RegistrationOptions.Platform.init(rawValue:)) else {
                return reject("AT+QLACFG: unknown platform")
            }
            options.platform = platform
        case .cfgRes:
            guard let resource = configuredResource(command) else { return }
            if let index = options.configuredResources.firstIndex(where: {
                ($0.objectID, $0.instanceID, $0.resourceID) == (resource.objectID, resource.instanceID, resource.resourceID)
            }) {
                options.configuredResources[index] = resource
            } else {
                options.configuredResources.append(resource)
            }
        case .lifetimeEnable:
            options.lifetimeEnable = command.integer("lifetime_enable") == 1
        case .dtlsMode, .dtlsVersion:
            guard Self.configurableStates.contains(status) else {
                return reject("AT+QLACFG=\"\(key.rawValue)\": only while unregistered (0) or deregistered (4); status is \(status)")
            }
            if key == .dtlsMode {
                options.dtlsMode = command.integer("DTLS_mode") ?? options.dtlsMode
            } else {
                options.dtlsVersion = command.integer("DTLS_version") ?? options.dtlsVersion
            }
        }
        saved.options = options
        save()
        emit(.ok)
    }

    /// `cfg_res` sets a resource of a built-in object (instance 0): the resource must be defined
    /// there and the text must read as its type. Rejects (ERROR) and returns nil otherwise.
    mutating func configuredResource(_ command: ValidatedCommand) -> RegistrationOptions.ConfiguredResource? {
        guard let o = command.integer("objectID").flatMap(UInt16.init(exactly:)),
              let i = command.integer("instanceID").flatMap(UInt16.init(exactly:)),
              let r = command.integer("resourceID").flatMap(UInt16.init(exactly:)),
              let text = command.string("value") else {
            reject("AT+QLACFG=\"cfg_res\": parameters do not read")
            return nil
        }
        guard CustomObjectLimits.builtInObjects.contains(o) else {
            reject("AT+QLACFG=\"cfg_res\": object \(o) is not a built-in object (0, 1, 3, 4, 5)")
            return nil
        }
        var tree = objectTree(server: nil)
        guard tree.instance(o, i) != nil, tree.definition(o)?[r] != nil else {
            reject("AT+QLACFG=\"cfg_res\": /\(o)/\(i)/\(r) is not a resource of the built-in objects")
            return nil
        }
        do {
            try tree.setValue(.string(text), at: LwM2MPath(o, i, r))
        } catch {
            reject("AT+QLACFG=\"cfg_res\": \"\(text)\" does not fit /\(o)/\(i)/\(r): \(error)")
            return nil
        }
        return RegistrationOptions.ConfiguredResource(objectID: o, instanceID: i, resourceID: r, value: text)
    }

    /// The module's objects: 0, 1, 3, 4, 5 from the identity and `server`, the `cfg_res` values,
    /// and the custom objects (instances without values: the TE supplies them on each read).
    func objectTree(server: ConfiguredServer?) -> ObjectTree {
        var profile = ModuleProfile(imei: identity.imei, serialNumber: identity.serialNumber)
        profile.firmwareVersion = identity.revision
        profile.ipAddress = identity.pdpAddress
        if let server {
            let c = server.configuration
            let secure = c.securityMode == .preSharedKey
            profile.serverURI = (secure ? "coaps://" : "coap://") + Self.uriHost(c.host) + ":\(c.port)"
            profile.bootstrap = server.isBootstrap
            profile.securityMode = secure ? .preSharedKey : .noSecurity
            profile.pskIdentity = c.pskIdentity ?? ""
            profile.psk = c.keyBytes ?? []
            profile.lifetime = c.lifetime
            profile.serverBinding = c.binding.letters
        }
        var tree = ObjectTree(profile: profile)
        for resource in saved.options.configuredResources {
            try? tree.setValue(.string(resource.value), at: LwM2MPath(resource.objectID, resource.instanceID, resource.resourceID))
        }
        var byObject: [UInt16: [CustomObjectInstance]] = [:]
        for instance in saved.customObjects { byObject[instance.objectID, default: []].append(instance) }
        for (objectID, instances) in byObject {
            var resourceIDs: [UInt16] = []
            for id in instances.flatMap(\.resourceIDs) where !resourceIDs.contains(id) { resourceIDs.append(id) }
            tree.define(.forAddedObject(id: objectID, resourceIDs: resourceIDs))
            for instance in instances { try? tree.setInstance(ObjectInstance(id: instance.instanceID), of: objectID) }
        }
        return tree
    }

    /// An IPv6 literal goes in brackets in a URI.
    static func uriHost(_ host: String) -> String { host.contains(":") ? "[" + host + "]" : host }
}
