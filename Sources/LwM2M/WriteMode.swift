/// How a Write changes its target (LwM2M 1.0 §5.4.3): CoAP PUT replaces, POST updates.
public enum WriteMode: Hashable, Sendable {
    /// PUT: an instance's resources are replaced by those given (others are removed); a multiple
    /// resource's instances are replaced by those given.
    case replace
    /// POST: the resources (and resource instances) given are added or overwritten, others kept.
    case partialUpdate
}
