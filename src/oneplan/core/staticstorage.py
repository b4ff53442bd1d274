"""Static files in production: hashed names (cached for a year), gzip and brotli copies, and
collectstatic only when the files changed (`oneplan serve --production` runs prepare_static at start)."""
import brotli
from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class FastCompressor(Compressor):
    # brotli's default quality (11) takes minutes over ECharts and the API docs' bundles on two cores;
    # quality 5 is a few seconds and still smaller than gzip
    @staticmethod
    def compress_brotli(data):
        return brotli.compress(data, quality=5)


class ProductionStaticStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs):
        return FastCompressor(**kwargs)
