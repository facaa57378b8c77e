"""The hokkaido plugin honours the plugin contract (kenshu.testing.contract), for each of
its six programmes."""

from kenshu.testing.contract import contract_suite

TestContract = contract_suite("kenshu_hokkaido.plugin")
