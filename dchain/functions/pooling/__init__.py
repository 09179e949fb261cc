"""Pooling functions (``F.max_pooling_2d``, ``F.average_pooling_2d``, ``F.unpooling_2d`` ...)."""
from dchain.functions.pooling.average_pooling_2d import average_pooling_2d, AveragePooling2D  # noqa: F401,E501
from dchain.functions.pooling.average_pooling_nd import average_pooling_nd, average_pooling_1d, average_pooling_3d, AveragePoolingND  # noqa: F401,E501
from dchain.functions.pooling.max_pooling_2d import max_pooling_2d, MaxPooling2D  # noqa: F401
from dchain.functions.pooling.max_pooling_nd import max_pooling_nd, max_pooling_1d, max_pooling_3d, MaxPoolingND  # noqa: F401,E501
from dchain.functions.pooling.spatial_pyramid_pooling_2d import spatial_pyramid_pooling_2d  # noqa: F401,E501
from dchain.functions.pooling.unpooling_2d import unpooling_2d, Unpooling2D  # noqa: F401
from dchain.functions.pooling.unpooling_nd import unpooling_nd, unpooling_1d, unpooling_3d, UnpoolingND  # noqa: F401,E501
from dchain.functions.pooling.upsampling_2d import upsampling_2d, Upsampling2D  # noqa: F401
