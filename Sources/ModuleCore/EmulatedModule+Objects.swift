import ATProtocol
import CoAP
import LwM2M

extension EmulatedModule {
    /// AT+QLAADDOBJ and AT+QLADELOBJ are refused while a registration step is under way
    /// (2.6 备注 3 names "registering"; deregistering and recovering are the same kind of step).
    static let objectChangeForbidden: Set<LwM2MStatus> = [.registering, .deregistering, .recoveringSession, .sessionNeedsRecovery]

    mutating func qlaaddobj(_ command: ValidatedCommand) {
        if command.form == .query {
            for instance in saved.customObjects {
                emit(.information(name: "QLAADDOBJ", values: [
                    .integer(Int64(instance.objectID)), .integer(Int64(instance.instanceID)),
                    .integer(Int64(instance.resourceIDs.count)),
                ] + instance.resourceIDs.map { .integer(Int64($0)) }))
            }
            emit(.ok)
            return
        }
        guard !Self.objectChangeForbidden.contains(status) else {
            return reject("AT+QLAADDOBJ: not while status is \(status)")
        }
        guard let objectID = command.integer("objectID").flatMap(UInt16.init(exactly:)),
              let instanceID = command.integer("instantID").flatMap(UInt16.init(exactly:)) else {
            return reject("AT+QLAADDOBJ: parameters do not read")
        }
        let resourceIDs = command.values("resourceID").compactMap { $0.integerValue.flatMap(UInt16.init(exactly:)) }
        guard !CustomObjectLimits.builtInObjects.contains(objectID) else {
            return reject("AT+QLAADDOBJ: object \(objectID) is built in")
        }
        guard Set(resourceIDs).count == resourceIDs.count else {
            return reject("AT+QLAADDOBJ: a resource id is given twice")
        }
        guard resourceIDs.count <= CustomObjectLimits.resourcesPerInstance else {
            return reject("AT+QLAADDOBJ: at most \(CustomObjectLimits.resourcesPerInstance) resources per instance")
        }
        let siblings = saved.customObjects.filter { $0.objectID == objectID }
        guard !siblings.contains(where: { $0.instanceID == instanceID }) else {
            return reject("AT+QLAADDOBJ: /\(objectID)/\(instanceID) exists")
        }
        if siblings.isEmpty {
            let objectCount = Set(saved.customObjects.map(\.objectID)).count
            guard objectCount < CustomObjectLimits.objects else {
                return reject("AT+QLAADDOBJ: at most \(CustomObjectLimits.objects) custom objects")
            }
        } else {
            guard siblings.count < CustomObjectLimits.instancesPerObject else {
                return reject("AT+QLAADDOBJ: at most \(CustomObjectLimits.instancesPerObject) instances of object \(objectID)")
            }
        }
        saved.customObjects.append(CustomObjectInstance(objectID: objectID, instanceID: instanceID, resourceIDs: resourceIDs))
        objectsChanged(responseName: "QLAADDOBJ")
    }

    mutating func qladelobj(_ command: ValidatedCommand) {
        guard !Self.objectChangeForbidden.contains(status) else {
            return reject("AT+QLADELOBJ: not while status is \(status)")
        }
        guard let objectID = command.integer("objectID").flatMap(UInt16.init(exactly:)) else {
            return reject("AT+QLADELOBJ: parameters do not read")
        }
        guard !CustomObjectLimits.builtInObjects.contains(objectID) else {
            return reject("AT+QLADELOBJ: object \(objectID) is built in and cannot be deleted")
        }
        guard saved.customObjects.contains(where: { $0.objectID == objectID }) else {
            return reject("AT+QLADELOBJ: object \(objectID) was not added")
        }
        saved.customObjects.removeAll { $0.objectID == objectID }
        observations = observations.filter { $0.objectID != objectID }
        if let assembly = notifyAssembly, assembly.observedPath.objectID == objectID { notifyAssembly = nil }
        objectsChanged(responseName: "QLADELOBJ")
    }

    /// Saves, answers `OK`, and when registered has the session send an Update with the new
    /// object links (its result prints as `+QLAADDOBJ: <code>` / `+QLADELOBJ: <code>`).
    mutating func objectsChanged(responseName: String) {
        save()
        emit(.ok)
        if status == .registered {
            issue(.updateObjects(objectTree(server: configuredServer)), as: .updateObjects(responseName: responseName))
        }
    }
}
