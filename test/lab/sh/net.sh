# Lab network: bridge fe-br0 (10.77.0.1/24) in the root namespace, one veth per host; the inner host hangs off
# the bastion by a direct veth pair (10.77.1.0/24), so it is reachable only through the bastion.

net_up_bridge() {
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
    ip addr add "$BRIDGE_ADDR/24" dev "$BRIDGE"
  fi
  ip link set "$BRIDGE" up
  # Lab addresses outside the bridge's /24 (the inner network) must never leave through the machine's
  # default route: they are unreachable from here, by design.
  ip route replace unreachable "$LAB_RANGE"
}

# net_up_host NAME: namespace fe-NAME with eth0 on the bridge (or, for inner, on the bastion's eth1).
net_up_host() {
  local h=$1 ns="fe-$1" addr
  addr=$(host_addr "$h")
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  if [ "$h" = inner ]; then
    ip link add eth1 netns fe-bastion type veth peer name eth0 netns "$ns"
    ip -n fe-bastion addr add 10.77.1.10/24 dev eth1
    ip -n fe-bastion link set eth1 up
  else
    ip link add "fe-$h-h" type veth peer name eth0 netns "$ns"
    ip link set "fe-$h-h" master "$BRIDGE" up
  fi
  ip -n "$ns" addr add "$addr/24" dev eth0
  ip -n "$ns" link set eth0 up
}

net_down() {
  local h
  for h in $LAB_HOSTS; do
    ip link del "fe-$h-h" >/dev/null 2>&1 || true
    if ip netns list 2>/dev/null | grep -qw "fe-$h"; then ip netns del "fe-$h" || true; fi
  done
  ip link del "$BRIDGE" >/dev/null 2>&1 || true
  ip route del unreachable "$LAB_RANGE" >/dev/null 2>&1 || true
}
