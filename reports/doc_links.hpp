// The documentation pages findings and catalog rows link to (facts §7 source index): one list, so a
// moved page is fixed once.
#pragma once

#include <string_view>

namespace vnetdiag {

inline constexpr std::string_view kDocAcrEndpoints =
    "https://learn.microsoft.com/azure/container-registry/container-registry-endpoint-reference";
inline constexpr std::string_view kDocAcrPrivate =
    "https://learn.microsoft.com/azure/container-registry/container-registry-private-link";
inline constexpr std::string_view kDocAzureDns =
    "https://learn.microsoft.com/azure/virtual-network/what-is-ip-address-168-63-129-16";
inline constexpr std::string_view kDocCustomDns =
    "https://learn.microsoft.com/azure/machine-learning/how-to-custom-dns";
inline constexpr std::string_view kDocEntra = "https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc";
inline constexpr std::string_view kDocFallback = "https://learn.microsoft.com/azure/dns/private-dns-fallback";
inline constexpr std::string_view kDocFirewall =
    "https://learn.microsoft.com/azure/machine-learning/how-to-access-azureml-behind-firewall";
inline constexpr std::string_view kDocImds =
    "https://learn.microsoft.com/azure/virtual-machines/instance-metadata-service";
inline constexpr std::string_view kDocMcr =
    "https://github.com/microsoft/containerregistry/blob/main/docs/client-firewall-rules.md";
inline constexpr std::string_view kDocMonitor =
    "https://learn.microsoft.com/azure/azure-monitor/logs/private-link-security";
inline constexpr std::string_view kDocPeDns = "https://learn.microsoft.com/azure/private-link/private-endpoint-dns";
inline constexpr std::string_view kDocPrivateLinkV1 =
    "https://learn.microsoft.com/azure/machine-learning/v1/how-to-configure-private-link";
inline constexpr std::string_view kDocSecureWorkspace =
    "https://learn.microsoft.com/azure/machine-learning/v1/how-to-secure-workspace-vnet";
inline constexpr std::string_view kDocStorage =
    "https://learn.microsoft.com/azure/storage/common/storage-private-endpoints";
// Not in the facts' source index: the facts name the symptom (Entra tokens break beyond ~5 min) but no page.
inline constexpr std::string_view kDocTimeSync = "https://learn.microsoft.com/azure/virtual-machines/linux/time-sync";
// Not in the facts' source index: what Azure's own TLS certificates look like (issuers, SHA-256 signatures).
inline constexpr std::string_view kDocTlsCertificates =
    "https://learn.microsoft.com/azure/security/fundamentals/tls-certificate-changes";
// Not in the facts' source index: why TLS 1.0 and 1.1 are gone, and how to find what still speaks them.
inline constexpr std::string_view kDocTlsVersion = "https://learn.microsoft.com/security/engineering/solving-tls1-problem";
inline constexpr std::string_view kDocTraining =
    "https://learn.microsoft.com/azure/machine-learning/v1/how-to-secure-training-vnet";
inline constexpr std::string_view kDocTroubleshootPe =
    "https://learn.microsoft.com/azure/machine-learning/how-to-troubleshoot-secure-connection-workspace";

}  // namespace vnetdiag
