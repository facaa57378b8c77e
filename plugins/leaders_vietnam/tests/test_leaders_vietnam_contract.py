"""The leaders-vietnam plugin honours the plugin contract (kenshu.testing.contract)."""

from kenshu.testing.contract import contract_suite

TestContract = contract_suite("kenshu_leaders_vietnam.plugin")
